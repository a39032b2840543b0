package io.pond.commerce.order;

import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderEventBatches;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Stores the order events of a bulk-load chunk as one row ({@link OrderEventCodec}) in the
 * chunk's transaction, and reads them back for listeners of {@code OrdersImported}.
 *
 * <p>PERF: every module's listener reads the same batch within moments of the others; the last
 * {@value #DECODED} batches read stay decoded, so the row is selected and inflated once, not once per
 * listener. A batch never changes once committed (only pruning deletes it), so a kept copy cannot be
 * stale; the lists are unmodifiable.
 */
@Component
class EventBatches implements OrderEventBatches {

  /** Decoded batches kept: the listeners of a few chunks in flight at once. */
  static final int DECODED = 8;

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final Map<Long, List<OrderEvent>> decoded =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<OrderEvent>> eldest) {
          return size() > DECODED;
        }
      };

  EventBatches(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Stores the events (in the caller's transaction); returns the batch id. */
  long store(List<OrderEvent> events, int orders) {
    byte[] blob = OrderEventCodec.encode(events);
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    Instant now = clock.instant();
    jdbc.update(
        c -> {
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO commerce_event_batch (order_count, event_count, events, created_at) VALUES (?, ?, ?, ?)",
                  new String[] {"id"});
          ps.setInt(1, orders);
          ps.setInt(2, events.size());
          ps.setBytes(3, blob);
          ps.setObject(4, OrderRows.ts(now));
          return ps;
        },
        key);
    return key.getKey().longValue();
  }

  @Override
  public List<OrderEvent> events(long batchId) {
    synchronized (decoded) {
      List<OrderEvent> kept = decoded.get(batchId);
      if (kept != null) {
        return kept;
      }
    }
    List<byte[]> blobs = jdbc.query("SELECT events FROM commerce_event_batch WHERE id = ?", (rs, n) -> rs.getBytes(1), batchId);
    if (blobs.isEmpty()) {
      return List.of(); // not kept: a batch read before its chunk committed may still appear
    }
    List<OrderEvent> events = List.copyOf(OrderEventCodec.decode(blobs.getFirst()));
    synchronized (decoded) {
      decoded.put(batchId, events);
    }
    return events;
  }

  /** Deletes batches older than the retention; returns how many. */
  int prune() {
    synchronized (decoded) {
      decoded.clear();
    }
    return jdbc.update(
        "DELETE FROM commerce_event_batch WHERE created_at < ?",
        OrderRows.ts(clock.instant().minus(Duration.ofDays(RETENTION_DAYS))));
  }
}
