package io.pond.loyalty.connect.domain;

import java.time.Duration;

/**
 * When a failed push is tried again: {@code base × 2^(attempts − 1)}, capped at {@code max}; after
 * {@code maxAttempts} failures the push is given up (dead) and shows in the reconciliation report.
 * No jitter: pushes are already spread by binding, and a deterministic schedule is easier to explain.
 */
public record Backoff(Duration base, Duration max, int maxAttempts) {

  public Backoff {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException("backoff needs 0 < base <= max and maxAttempts >= 1");
    }
  }

  /** The delay after the {@code attempts}-th failure (1 = the first). */
  public Duration delayAfter(int attempts) {
    int doublings = Math.max(0, Math.min(attempts - 1, 40));
    Duration delay = base;
    for (int i = 0; i < doublings && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }

  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }
}
