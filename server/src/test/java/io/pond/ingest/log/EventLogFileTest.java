package io.pond.ingest.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.LinkKind;
import io.pond.ingest.config.IngestProperties;
import io.pond.ingest.envelope.domain.Rejection;
import io.pond.platform.Identifier;
import io.pond.platform.storage.DuckDbStore;
import io.pond.support.IsolatedStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event log file: group commits survive a restart, segments roll and are deleted once loaded
 * into DuckDB, a committed tail that DuckDB lacks is loaded at start, and a torn or unfinished group
 * at the end of the file is cut off.
 */
class EventLogFileTest {

  static final long SOURCE = 7;
  final JsonMapper json = JsonMapper.builder().build();
  final Path dataDir = IsolatedStores.newDataDir("event-log-" + UUID.randomUUID());

  EventLog open(DuckDbStore store, long segmentBytes) {
    IngestProperties properties = new IngestProperties(
        new IngestProperties.GroupCommit(1000, 50_000),
        new IngestProperties.RateLimit(1000, 1000),
        new IngestProperties.Consumers(500, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(50), false),
        new IngestProperties.Log(DataSize.ofBytes(segmentBytes), 1000, Duration.ZERO, true));
    EventLog log = new EventLog(store, json, TestEventPii.of(json), new SimpleMeterRegistry(), properties);
    log.start();
    return log;
  }

  EncodedEvent event(String messageId) {
    Instant t = Instant.parse("2026-11-22T10:00:00Z");
    return EncodedEvent.of(new EventEnvelope(0, SOURCE, messageId, "segment", "track", "Viewed", t, t,
        List.of(new Identifier("anonymous_id", "", "a-" + messageId)), LinkKind.TOGETHER, null,
        Map.of("sku", "SKU-1"), Map.of(), Map.of()), json, TestEventPii.of(json));
  }

  Receipt commit(EventLog log, String... messageIds) {
    return log.commit(new Submission(SOURCE, "test", Arrays.stream(messageIds).map(this::event).toList(), List.of()));
  }

  static long scalar(DuckDbStore store, String sql) throws Exception {
    try (Connection c = store.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  List<Path> segments() throws Exception {
    try (Stream<Path> files = Files.list(dataDir.resolve("event-log"))) {
      return files.sorted().toList();
    }
  }

  @Test
  void commits_survive_a_restart_and_repeats_are_found_after_it() throws Exception {
    try (DuckDbStore store = new DuckDbStore(dataDir.resolve("events.duckdb"), "classpath*:duckdb/")) {
      EventLog log = open(store, 64 << 20);
      Receipt r = commit(log, "m1", "m2", "m1");
      assertThat(r.accepted()).isEqualTo(2);
      assertThat(r.deduplicated()).isEqualTo(1);
      Rejection bad = new Rejection(Rejection.INVALID, "event", "a track message needs an event name");
      log.commit(new Submission(SOURCE, "test", List.of(event("m3")),
          List.of(new DeadLetter(SOURCE, "segment", Instant.now(), bad, "{}"))));
      assertThat(log.read(0, 100)).extracting(EventEnvelope::offset).containsExactly(1L, 2L, 3L);
      assertThat(scalar(store, "SELECT count(*) FROM dead_letter")).isEqualTo(1);
      assertThat(scalar(store, "SELECT sum(n) FROM ingest_duplicate")).isEqualTo(1);
      assertThat(scalar(store, "SELECT count(*) FROM event_identifier")).isEqualTo(3);
      log.stop();

      EventLog again = open(store, 64 << 20);
      Receipt repeat = commit(again, "m2", "m3", "m4");
      assertThat(repeat.accepted()).isEqualTo(1);
      assertThat(repeat.deduplicated()).isEqualTo(2);
      assertThat(again.read(0, 100)).extracting(EventEnvelope::messageId).containsExactly("m1", "m2", "m3", "m4");
      assertThat(again.lastOffset()).isEqualTo(4);
      again.stop();
    }
  }

  @Test
  void segments_roll_and_loaded_ones_are_deleted() throws Exception {
    try (DuckDbStore store = new DuckDbStore(dataDir.resolve("events.duckdb"), "classpath*:duckdb/")) {
      EventLog log = open(store, 4096);
      List<String> ids = new ArrayList<>();
      for (int group = 0; group < 40; group++) {
        String[] batch = IntStream.range(0, 5).mapToObj(i -> UUID.randomUUID().toString()).toArray(String[]::new);
        ids.addAll(List.of(batch));
        commit(log, batch);
      }
      List<EventEnvelope> events = log.read(0, 1000);
      assertThat(events).extracting(EventEnvelope::messageId).containsExactlyElementsOf(ids);
      assertThat(events).extracting(EventEnvelope::offset)
          .containsExactlyElementsOf(IntStream.rangeClosed(1, 200).mapToObj(i -> (long) i).toList());
      assertThat(segments()).as("loaded segments are deleted").hasSize(1);
      assertThat(segments().getFirst().getFileName().toString()).isNotEqualTo("segment-0000000000.log");
      log.stop();

      EventLog again = open(store, 4096);
      assertThat(commit(again, ids.get(3), ids.get(150)).deduplicated()).isEqualTo(2);
      assertThat(again.count()).isEqualTo(200);
      again.stop();
    }
  }

  @Test
  void a_committed_tail_is_loaded_at_start_and_a_torn_group_is_cut() throws Exception {
    try (DuckDbStore store = new DuckDbStore(dataDir.resolve("events.duckdb"), "classpath*:duckdb/")) {
      EventLog log = open(store, 64 << 20);
      commit(log, "a1", "a2");
      log.stop();
      Path segment = segments().getFirst();
      long clean = Files.size(segment);

      // as if the process died after a group's fsync but before DuckDB loaded it, then while writing
      // the next group: a complete group, then a group without its commit marker and a torn frame
      byte[] b1 = event("b1").frame();
      byte[] b2 = event("b2").frame();
      byte[] c1 = event("c1").frame();
      byte[] torn = Arrays.copyOf(event("c2").frame(), 20);
      Files.write(segment, concat(b1, b2, LogFrames.COMMIT_FRAME, c1, torn), StandardOpenOption.APPEND);
      long committed = clean + b1.length + b2.length + LogFrames.COMMIT_FRAME.length;

      EventLog again = open(store, 64 << 20);
      assertThat(Files.size(segment)).as("the unfinished group is cut").isEqualTo(committed);
      assertThat(again.read(0, 100)).extracting(EventEnvelope::messageId).containsExactly("a1", "a2", "b1", "b2");
      Receipt r = commit(again, "b2", "c1");
      assertThat(r.deduplicated()).as("b2 is a repeat, c1 was never acknowledged").isEqualTo(1);
      assertThat(r.accepted()).isEqualTo(1);
      assertThat(again.read(0, 100)).extracting(EventEnvelope::offset).containsExactly(1L, 2L, 3L, 4L, 5L);
      again.stop();
    }
  }

  @Test
  void rows_loaded_past_the_saved_position_are_loaded_again_not_twice() throws Exception {
    try (DuckDbStore store = new DuckDbStore(dataDir.resolve("events.duckdb"), "classpath*:duckdb/")) {
      EventLog log = open(store, 64 << 20);
      commit(log, "a1", "a2");
      commit(log, "a1", "a3"); // a duplicate count row too
      log.stop();
      // as if the rows of the last loads had committed but not the position that goes with them
      try (Connection c = store.connection(); Statement s = c.createStatement()) {
        s.execute("UPDATE event_log_projection SET segment = 0, position = 0, next_offset = 1, next_dead_letter_id = 1");
      }
      EventLog again = open(store, 64 << 20);
      assertThat(again.read(0, 100)).extracting(EventEnvelope::messageId).containsExactly("a1", "a2", "a3");
      assertThat(scalar(store, "SELECT count(*) FROM event_identifier")).isEqualTo(3);
      assertThat(scalar(store, "SELECT sum(n) FROM ingest_duplicate")).isEqualTo(1);
      again.stop();
    }
  }

  @Test
  void a_corrupt_frame_ends_the_log() throws Exception {
    try (DuckDbStore store = new DuckDbStore(dataDir.resolve("events.duckdb"), "classpath*:duckdb/")) {
      EventLog log = open(store, 64 << 20);
      commit(log, "a1");
      log.stop();
      Path segment = segments().getFirst();
      byte[] b1 = event("b1").frame();
      b1[b1.length - 1] ^= 1; // a flipped bit: the checksum fails
      Files.write(segment, concat(b1, LogFrames.COMMIT_FRAME), StandardOpenOption.APPEND);

      EventLog again = open(store, 64 << 20);
      assertThat(again.read(0, 100)).extracting(EventEnvelope::messageId).containsExactly("a1");
      assertThat(commit(again, "b1").accepted()).isEqualTo(1);
      again.stop();
    }
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
