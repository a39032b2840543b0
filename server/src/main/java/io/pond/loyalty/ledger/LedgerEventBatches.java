package io.pond.loyalty.ledger;

import io.pond.loyalty.PointsChange;
import io.pond.loyalty.PointsChangeBatches;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Stores the points events of a group commit as one row ({@link PointsChangeCodec}) in the commit's
 * transaction, and reads them back for listeners of {@link io.pond.loyalty.PointsPosted}.
 */
@Component
public class LedgerEventBatches implements PointsChangeBatches {

  private final JdbcClient jdbc;
  private final Clock clock;

  LedgerEventBatches(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Stores the events (in the caller's transaction); returns the batch id. */
  long store(List<PointsChange> changes) {
    byte[] blob = PointsChangeCodec.encode(changes);
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.sql("INSERT INTO loyalty_event_batch (change_count, changes, created_at) VALUES (?, ?, ?)")
        .params(changes.size(), blob, Timestamp.from(clock.instant()))
        .update(key, "id");
    return key.getKeyAs(Long.class);
  }

  @Override
  public List<PointsChange> changes(long batchId) {
    List<byte[]> blobs = jdbc.sql("SELECT changes FROM loyalty_event_batch WHERE id = ?").param(batchId).query((rs, n) -> rs.getBytes(1)).list();
    return blobs.isEmpty() ? List.of() : PointsChangeCodec.decode(blobs.getFirst());
  }

  /** Deletes batches older than the retention; returns how many. */
  public int prune() {
    return jdbc.sql("DELETE FROM loyalty_event_batch WHERE created_at < ?")
        .param(Timestamp.from(clock.instant().minus(Duration.ofDays(RETENTION_DAYS))))
        .update();
  }
}
