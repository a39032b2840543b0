package io.pond.ingest.plan;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pond.ingest.plan.domain.PlanViolation;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tracking-plan violations counted per source, event and kind: in memory on the ingestion path, and
 * added to the OLTP store every few seconds by one thread (and at shutdown). Reads add what is not
 * written yet, so the API is exact; a crash loses at most the last interval's counts, never events.
 */
@Component
public class ViolationCounts implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ViolationCounts.class);
  static final long FLUSH_EVERY_MS = 5_000;
  /** Pending keys beyond this are counted under the event {@link #OTHER}: event names are client data. */
  static final int MAX_PENDING_KEYS = 10_000;
  static final String OTHER = "(other)";
  static final int MAX_DETAIL = 500;

  private record Key(long sourceId, String event, String kind) {}

  private record Delta(long count, String lastDetail, Instant lastSeenAt) {
    Delta plus(Delta d) {
      return new Delta(count + d.count, d.lastDetail, d.lastSeenAt.isAfter(lastSeenAt) ? d.lastSeenAt : lastSeenAt);
    }
  }

  /** Violations of one kind on one event of a source. */
  public record Count(String event, String kind, long violations, String lastDetail, Instant lastSeenAt) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final MeterRegistry meters;
  private final Clock clock;
  private final ConcurrentHashMap<Key, Delta> pending = new ConcurrentHashMap<>();
  private ScheduledExecutorService flusher;

  ViolationCounts(JdbcClient jdbc, TransactionTemplate tx, MeterRegistry meters, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.meters = meters;
    this.clock = clock;
  }

  /** Counts the violations of one record. */
  public void record(long sourceId, String sourceName, boolean plannedEvent, List<PlanViolation> violations) {
    Instant now = clock.instant();
    for (PlanViolation v : violations) {
      String event = truncate(v.event(), TrackingPlans.MAX_NAME);
      Key key = new Key(sourceId, event, v.kind());
      if (pending.size() >= MAX_PENDING_KEYS && !pending.containsKey(key)) {
        key = new Key(sourceId, OTHER, v.kind());
      }
      pending.merge(key, new Delta(1, truncate(v.detail(), MAX_DETAIL), now), Delta::plus);
      Counter.builder("pond.ingest.tracking.plan.violations")
          .description("Tracking-plan violations, by source, event (planned events only) and kind")
          .tag("source", sourceName)
          .tag("event", plannedEvent ? event : "(unplanned)")
          .tag("kind", v.kind())
          .register(meters)
          .increment();
    }
  }

  /** A source's violation counts, most frequent first. */
  public List<Count> of(long sourceId) {
    Map<Key, Delta> all = new HashMap<>();
    jdbc.sql("SELECT event, kind, violations, last_detail, last_seen_at FROM tracking_plan_violation WHERE source_id = ?")
        .param(sourceId)
        .query((rs, n) -> Map.entry(new Key(sourceId, rs.getString(1), rs.getString(2)),
            new Delta(rs.getLong(3), rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant())))
        .list()
        .forEach(e -> all.put(e.getKey(), e.getValue()));
    pending.forEach((k, d) -> {
      if (k.sourceId() == sourceId) {
        all.merge(k, d, Delta::plus);
      }
    });
    List<Count> out = new ArrayList<>();
    all.forEach((k, d) -> out.add(new Count(k.event(), k.kind(), d.count(), d.lastDetail(), d.lastSeenAt())));
    out.sort(Comparator.comparingLong(Count::violations).reversed().thenComparing(Count::event).thenComparing(Count::kind));
    return out;
  }

  /** Adds the pending counts to the store. */
  synchronized void flush() {
    Map<Key, Delta> taken = new HashMap<>();
    for (Key k : List.copyOf(pending.keySet())) {
      Delta d = pending.remove(k);
      if (d != null) {
        taken.put(k, d);
      }
    }
    if (taken.isEmpty()) {
      return;
    }
    try {
      tx.executeWithoutResult(s -> taken.forEach(this::add));
    } catch (RuntimeException e) {
      log.warn("Tracking-plan violation counts could not be written; keeping them for the next try", e);
      taken.forEach((k, d) -> pending.merge(k, d, Delta::plus));
    }
  }

  private void add(Key k, Delta d) {
    Timestamp at = Timestamp.from(d.lastSeenAt());
    int updated = jdbc.sql("UPDATE tracking_plan_violation SET violations = violations + ?, last_detail = ?,"
            + " last_seen_at = ? WHERE source_id = ? AND event = ? AND kind = ?")
        .params(d.count(), d.lastDetail(), at, k.sourceId(), k.event(), k.kind())
        .update();
    if (updated == 0) {
      jdbc.sql("INSERT INTO tracking_plan_violation (source_id, event, kind, violations, last_detail, last_seen_at)"
              + " VALUES (?, ?, ?, ?, ?, ?)")
          .params(k.sourceId(), k.event(), k.kind(), d.count(), d.lastDetail(), at)
          .update();
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  @Override
  public synchronized void start() {
    flusher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("pond-plan-violations").daemon(true).unstarted(r));
    flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_EVERY_MS, FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("Flushing tracking-plan violation counts failed", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (flusher != null) {
      flusher.shutdownNow();
      flusher = null;
      flushQuietly();
    }
  }

  @Override
  public boolean isRunning() {
    return flusher != null;
  }

  /** Stops after the web server, so that the counts of the last requests are written too. */
  @Override
  public int getPhase() {
    return 0;
  }
}
