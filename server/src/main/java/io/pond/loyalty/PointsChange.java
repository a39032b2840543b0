package io.pond.loyalty;

import java.time.Instant;

/**
 * One of the ledger's five points events. A posting made on its own publishes its event on its own; the
 * postings that one group commit combines (see {@link PointsPosted}) publish theirs as one batch,
 * readable through {@link PointsChangeBatches}, in the order they were posted.
 */
public sealed interface PointsChange permits PointsEarned, PointsActivated, PointsRedeemed, PointsClawedBack, PointsExpired {

  String program();

  PersonRef person();

  /** The ledger entry that made the change. */
  long entryId();

  Instant at();
}
