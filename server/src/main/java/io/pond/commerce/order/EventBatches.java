package io.pond.commerce.order;

import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderEventBatches;
import io.pond.platform.storage.DecodedBatches;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Stores the order events of a bulk-load chunk as one row ({@link OrderEventCodec}) in the
 * chunk's transaction, and reads them back for listeners of {@code OrdersImported} (decoded once for
 * all of them: {@link DecodedBatches}).
 */
@Component
class EventBatches implements OrderEventBatches {

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final OrderPii pii;
  private final DecodedBatches<OrderEvent> decoded = new DecodedBatches<>(8);

  EventBatches(JdbcTemplate jdbc, Clock clock, OrderPii pii) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.pii = pii;
  }

  /** Stores the events (in the caller's transaction); returns the batch id. */
  long store(List<OrderEvent> events, int orders) {
    byte[] blob = pii.sealBatch(OrderEventCodec.encode(events)); // buyers' phones and e-mails are in it
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
    return decoded.get(batchId, id -> {
      List<byte[]> blobs = jdbc.query("SELECT events FROM commerce_event_batch WHERE id = ?", (rs, n) -> rs.getBytes(1), id);
      return blobs.isEmpty() ? List.of() : OrderEventCodec.decode(pii.openBatch(blobs.getFirst()));
    });
  }

  /** Deletes batches older than the retention; returns how many. */
  int prune() {
    decoded.clear();
    return jdbc.update(
        "DELETE FROM commerce_event_batch WHERE created_at < ?",
        OrderRows.ts(clock.instant().minus(Duration.ofDays(RETENTION_DAYS))));
  }
}
