package io.pond.loyalty.membership.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The period one purchase of a paid membership buys. A renewal while the membership is still active
 * extends it from its current end, so that renewing early never loses days; a purchase after the end
 * starts a new period today.
 */
public final class PaidTerm {

  private PaidTerm() {}

  /** What a purchase at {@code now} does to a membership that ends at {@code currentEnd} (null: none yet). */
  public sealed interface Period {
    Instant from();

    Instant to();

    /** A new period from now: the first purchase, or one after the last period ended. */
    record Start(Instant from, Instant to) implements Period {}

    /** The active period is extended: {@code from} is its old end. */
    record Renewal(Instant from, Instant to) implements Period {}
  }

  public static Period purchase(Instant currentEnd, Instant now, int termDays) {
    if (termDays <= 0) {
      throw new IllegalArgumentException("termDays must be positive: " + termDays);
    }
    Duration term = Duration.ofDays(termDays);
    if (currentEnd != null && currentEnd.isAfter(now)) {
      return new Period.Renewal(currentEnd, currentEnd.plus(term));
    }
    return new Period.Start(now, now.plus(term));
  }
}
