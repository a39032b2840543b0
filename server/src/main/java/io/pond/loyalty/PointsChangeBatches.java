package io.pond.loyalty;

import java.util.List;

/**
 * The points events of a group commit announced by {@link PointsPosted}. Kept for {@value
 * #RETENTION_DAYS} days, long enough for every listener (including one replayed after a restart) to
 * read them.
 */
public interface PointsChangeBatches {

  int RETENTION_DAYS = 30;

  /** The batch's events in posting order; empty when the batch is unknown or expired. */
  List<PointsChange> changes(long batchId);
}
