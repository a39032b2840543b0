package io.pond.ingest.log;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.LinkKind;
import io.pond.ingest.config.IngestProperties;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.storage.DuckDbStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durable event log in DuckDB, written by one thread with group commit.
 *
 * <p>Request threads {@link #commit submit} their events and wait; the writer thread drains every
 * submission waiting in the queue and commits them in one DuckDB transaction (one WAL flush), then
 * answers them all. So a 2xx, sent after {@link #commit} returns, means the events are durable, and
 * throughput grows with concurrency instead of falling to one flush per request.
 *
 * <p>Repeats of {@code (source, messageId)} are found with an in-memory set of 64-bit hashes loaded
 * at start-up; a hit is confirmed against the table, so a hash collision cannot drop an event.
 */
@Component
public class EventLog implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final TypeReference<List<Identifier>> IDENTIFIERS = new TypeReference<>() {};
  public static final String COLUMNS =
      "log_offset, source_id, message_id, protocol, type, event, ts, received_at, link, identifiers, previous,"
          + " properties, traits, context";

  private record Pending(Submission submission, CompletableFuture<Receipt> done) {}

  private final DuckDbStore store;
  private final JsonMapper json;
  private final MeterRegistry meters;
  private final IngestProperties.GroupCommit groupCommit;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  private final LongHashSet seen = new LongHashSet();
  private volatile boolean running;
  private volatile boolean accepting;
  private Thread writer;
  private DuckDBConnection connection;
  private DuckDBAppender eventRows;
  private DuckDBAppender identifierRows;
  private DuckDBAppender deadLetterRows;
  private DuckDBAppender duplicateRows;
  private long nextOffset;
  private long nextDeadLetterId;
  private volatile long lastOffset;

  EventLog(DuckDbStore store, JsonMapper json, MeterRegistry meters, IngestProperties properties) {
    this.store = store;
    this.json = json;
    this.meters = meters;
    this.groupCommit = properties.groupCommit();
  }

  /**
   * Commits a request's events and dead letters and returns once they are durable.
   *
   * @throws PondException {@code unavailable} when the log cannot be written (the request may be
   *     retried: nothing of it was committed)
   */
  public Receipt commit(Submission submission) {
    if (!accepting) {
      throw new PondException(ErrorCode.UNAVAILABLE, "Pond is not accepting events (starting or shutting down)");
    }
    CompletableFuture<Receipt> done = new CompletableFuture<>();
    queue.add(new Pending(submission, done));
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PondException(ErrorCode.UNAVAILABLE, "interrupted while committing events");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PondException p) {
        throw p;
      }
      throw new PondException(ErrorCode.UNAVAILABLE, "the event log could not commit: " + e.getCause().getMessage());
    }
  }

  /** Called (on the writer thread) after every commit; consumers use it to wake up. */
  public void onCommit(Runnable listener) {
    commitListeners.add(listener);
  }

  /** The offset of the last committed event, 0 when the log is empty. */
  public long lastOffset() {
    return lastOffset;
  }

  /** Up to {@code limit} committed events after {@code afterOffset}, in log order. */
  public List<EventEnvelope> read(long afterOffset, int limit) {
    try (Connection c = store.connection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT " + COLUMNS + " FROM event_log WHERE log_offset > ? ORDER BY log_offset LIMIT ?")) {
      s.setLong(1, afterOffset);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<EventEnvelope> events = new ArrayList<>();
        while (rs.next()) {
          events.add(map(rs));
        }
        return events;
      }
    } catch (SQLException e) {
      throw new PondException(ErrorCode.UNAVAILABLE, "the event log cannot be read: " + e.getMessage());
    }
  }

  /** Maps a row selected with {@link #COLUMNS}. */
  public EventEnvelope map(ResultSet rs) throws SQLException {
    String previous = rs.getString("previous");
    return new EventEnvelope(
        rs.getLong("log_offset"),
        rs.getLong("source_id"),
        rs.getString("message_id"),
        rs.getString("protocol"),
        rs.getString("type"),
        rs.getString("event"),
        rs.getObject("ts", OffsetDateTime.class).toInstant(),
        rs.getObject("received_at", OffsetDateTime.class).toInstant(),
        json.readValue(rs.getString("identifiers"), IDENTIFIERS),
        LinkKind.valueOf(rs.getString("link")),
        previous == null ? null : json.readValue(previous, Identifier.class),
        json.readValue(rs.getString("properties"), MAP),
        json.readValue(rs.getString("traits"), MAP),
        json.readValue(rs.getString("context"), MAP));
  }

  // --- lifecycle ---------------------------------------------------------------------------------

  @Override
  public synchronized void start() {
    try {
      connection = (DuckDBConnection) store.connection();
      try (Statement s = connection.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT dedup_hash FROM event_log")) {
          while (rs.next()) {
            seen.add(rs.getLong(1));
          }
        }
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(log_offset), 0) FROM event_log")) {
          rs.next();
          lastOffset = rs.getLong(1);
          nextOffset = lastOffset + 1;
        }
        try (ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM dead_letter")) {
          rs.next();
          nextDeadLetterId = rs.getLong(1) + 1;
        }
      }
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new IllegalStateException("The event log cannot be opened: " + e.getMessage(), e);
    }
    running = true;
    accepting = true;
    writer = Thread.ofPlatform().name("pond-event-log-writer").daemon(false).start(this::run);
    log.info("Event log open at offset {} ({} events known for dedup)", lastOffset, seen.size());
  }

  @Override
  public synchronized void stop() {
    accepting = false;
    running = false;
    if (writer != null) {
      writer.interrupt();
      try {
        writer.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      writer = null;
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      left.done().completeExceptionally(new PondException(ErrorCode.UNAVAILABLE, "Pond is shutting down"));
    }
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      log.warn("Closing the event log connection failed", e);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Starts before and stops after the web server (which waits for requests in flight). */
  @Override
  public int getPhase() {
    return 0;
  }

  // --- the writer thread ---------------------------------------------------------------------------

  private void run() {
    // DuckDB appenders are confined to the thread that created them: this one.
    try {
      openAppenders();
    } catch (SQLException e) {
      log.error("The event log cannot be written; ingestion answers 503", e);
      accepting = false;
      return;
    }
    try {
      drain();
    } finally {
      closeAppenders();
    }
  }

  private void drain() {
    List<Pending> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = running ? queue.take() : queue.poll();
        if (first == null) {
          break;
        }
        group.add(first);
        int events = first.submission().events().size();
        while (group.size() < groupCommit.maxRequests() && events < groupCommit.maxEvents()) {
          Pending next = queue.poll();
          if (next == null) {
            break;
          }
          group.add(next);
          events += next.submission().events().size();
        }
        write(group);
      } catch (InterruptedException e) {
        if (!running) {
          // drain what is already queued, then stop
          continue;
        }
      } finally {
        group.clear();
      }
    }
  }

  // PERF: the appenders stay open across commits (creating them costs about as much as a small
  // commit); they are recreated after a failed commit.
  private void openAppenders() throws SQLException {
    eventRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_log");
    identifierRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "event_identifier");
    deadLetterRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "dead_letter");
    duplicateRows = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "ingest_duplicate");
  }

  private void closeAppenders() {
    for (DuckDBAppender a : new DuckDBAppender[] {eventRows, identifierRows, deadLetterRows, duplicateRows}) {
      if (a != null) {
        try {
          a.close();
        } catch (SQLException | RuntimeException e) {
          log.debug("Closing an appender after a failure", e);
        }
      }
    }
  }

  private void write(List<Pending> group) {
    long firstOffset = nextOffset;
    long firstDeadLetter = nextDeadLetterId;
    List<Receipt> receipts = new ArrayList<>(group.size());
    List<Long> newHashes = new ArrayList<>();
    Map<CounterKey, Long> counts = new HashMap<>();
    try {
      Set<String> inThisCommit = new HashSet<>();
      boolean anyDeadLetter = false;
      boolean anyDuplicate = false;
      for (Pending p : group) {
        Submission s = p.submission();
        int accepted = 0;
        int duplicates = 0;
        for (EncodedEvent x : s.events()) {
          EventEnvelope e = x.envelope();
          long hash = hash(s.sourceId(), e.messageId());
          String key = s.sourceId() + ":" + e.messageId();
          if (inThisCommit.contains(key) || seen.contains(hash) && stored(s.sourceId(), e.messageId(), hash)) {
            duplicates++;
            continue;
          }
          inThisCommit.add(key);
          newHashes.add(hash);
          append(x, nextOffset++, hash);
          accepted++;
        }
        for (DeadLetter d : s.deadLetters()) {
          deadLetterRows.beginRow()
              .append(nextDeadLetterId++)
              .append(d.sourceId())
              .append(d.protocol())
              .appendEpochMicros(micros(d.receivedAt()))
              .append(d.rejection().reason())
              .append(d.rejection().field())
              .append(d.rejection().detail())
              .append(d.raw())
              .endRow();
          anyDeadLetter = true;
          counts.merge(new CounterKey(s.sourceName(), "rejected"), 1L, Long::sum);
        }
        if (accepted > 0) {
          counts.merge(new CounterKey(s.sourceName(), "accepted"), (long) accepted, Long::sum);
        }
        if (duplicates > 0) {
          duplicateRows.beginRow().append(s.sourceId()).append((long) duplicates).endRow();
          anyDuplicate = true;
          counts.merge(new CounterKey(s.sourceName(), "deduplicated"), (long) duplicates, Long::sum);
        }
        receipts.add(new Receipt(accepted, duplicates, s.deadLetters().size(), nextOffset - 1));
      }
      if (!newHashes.isEmpty()) {
        eventRows.flush();
        identifierRows.flush();
      }
      if (anyDeadLetter) {
        deadLetterRows.flush();
      }
      if (anyDuplicate) {
        duplicateRows.flush();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      log.error("Event log commit of {} requests failed; they are answered 503", group.size(), e);
      try {
        closeAppenders();
        connection.rollback();
        openAppenders();
      } catch (SQLException r) {
        log.error("Event log rollback failed", r);
      }
      nextOffset = firstOffset;
      nextDeadLetterId = firstDeadLetter;
      PondException failure =
          new PondException(ErrorCode.UNAVAILABLE, "the event log could not commit; retry the request");
      group.forEach(p -> p.done().completeExceptionally(failure));
      return;
    }
    newHashes.forEach(seen::add);
    lastOffset = nextOffset - 1;
    counts.forEach(
        (k, n) ->
            Counter.builder("pond.ingest.events")
                .description("Events received, by source and outcome (accepted, deduplicated, rejected)")
                .tag("source", k.sourceName())
                .tag("outcome", k.outcome())
                .register(meters)
                .increment(n));
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done().complete(receipts.get(i));
    }
    commitListeners.forEach(Runnable::run);
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private record CounterKey(String sourceName, String outcome) {}

  private boolean stored(long sourceId, String messageId, long hash) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT count(*) FROM event_log WHERE dedup_hash = ? AND source_id = ? AND message_id = ?")) {
      s.setLong(1, hash);
      s.setLong(2, sourceId);
      s.setString(3, messageId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  private void append(EncodedEvent x, long offset, long hash) throws SQLException {
    EventEnvelope e = x.envelope();
    eventRows.beginRow()
        .append(offset)
        .append(hash)
        .append(e.sourceId())
        .append(e.messageId())
        .append(e.protocol())
        .append(e.type())
        .append(e.event())
        .appendEpochMicros(micros(e.timestamp()))
        .appendEpochMicros(micros(e.receivedAt()))
        .append(e.link().name())
        .append(x.identifiers())
        .append(x.previous())
        .append(x.properties())
        .append(x.traits())
        .append(x.context())
        .endRow();
    for (Identifier id : e.identifiers()) {
      identifierRows.beginRow().append(offset).append(id.type()).append(id.scope()).append(id.value()).endRow();
    }
    if (e.previous() != null) {
      Identifier id = e.previous();
      identifierRows.beginRow().append(offset).append(id.type()).append(id.scope()).append(id.value()).endRow();
    }
  }

  /** A 64-bit FNV-1a hash of the dedup key, finished with a murmur mix. */
  static long hash(long sourceId, String messageId) {
    long h = 0xcbf29ce484222325L ^ sourceId;
    for (byte b : messageId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** For tests and stats: the number of committed events. */
  public long count() {
    try (Connection c = store.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM event_log")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new PondException(ErrorCode.UNAVAILABLE, "the event log cannot be read: " + e.getMessage());
    }
  }
}
