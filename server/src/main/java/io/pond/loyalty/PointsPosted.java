package io.pond.loyalty;

import java.time.Instant;

/**
 * Postings that one group commit of the ledger combined were committed together. One publication per
 * commit instead of one per posting keeps a busy ledger fast; the commit's points events — the same
 * {@link PointsChange} records a posting made on its own publishes, in posting order — are read with
 * {@link PointsChangeBatches#changes(long)}.
 *
 * <p>A module that reacts to points changes listens to the single events and to this one.
 *
 * @param batchId the key for {@link PointsChangeBatches#changes(long)}
 * @param changes points events in the batch
 */
public record PointsPosted(long batchId, int changes, Instant at) {}
