package io.pond.membercenter.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a one-time code may be sent and when one is accepted: a code lives {@link #TTL}; a new one no
 * sooner than {@link #RESEND_AFTER} after the last and at most {@link #PER_DAY} a day per phone; a code
 * dies after {@link #MAX_ATTEMPTS} wrong tries.
 */
public final class CodePolicy {

  public static final Duration TTL = Duration.ofMinutes(5);
  public static final Duration RESEND_AFTER = Duration.ofSeconds(60);
  public static final int PER_DAY = 10;
  public static final int MAX_ATTEMPTS = 5;

  private CodePolicy() {}

  /** Why a code may not be sent now, with how long to wait; {@code null} when it may. */
  public record Wait(String reason, long seconds) {}

  /** {@code sentToday} are the send times of this phone's codes in the last 24 hours, newest first. */
  public static Wait mayIssue(List<Instant> sentToday, Instant now) {
    if (!sentToday.isEmpty()) {
      Instant last = sentToday.getFirst();
      Instant next = last.plus(RESEND_AFTER);
      if (now.isBefore(next)) {
        return new Wait("a code was sent less than a minute ago", Math.max(1, Duration.between(now, next).toSeconds()));
      }
    }
    if (sentToday.size() >= PER_DAY) {
      Instant oldest = sentToday.get(PER_DAY - 1);
      return new Wait("at most " + PER_DAY + " codes a day", Math.max(1, Duration.between(now, oldest.plus(Duration.ofDays(1))).toSeconds()));
    }
    return null;
  }
}
