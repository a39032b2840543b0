package io.pond.offer.coupon.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a coupon can be used: an absolute window ({@code from}–{@code until}), or relative to its
 * issue — usable from the start of the local day {@code afterDays} after issue (at once when 0) for
 * {@code days} local days, ending at the start of the following day. A relative window never outlasts
 * {@code until} when both are given.
 */
public record Validity(Instant from, Instant until, Integer days, int afterDays) {

  public record Window(Instant from, Instant until) {
    public boolean contains(Instant at) {
      return !at.isBefore(from) && at.isBefore(until);
    }
  }

  public static Validity absolute(Instant from, Instant until) {
    return new Validity(from, until, null, 0);
  }

  public static Validity relative(int days, int afterDays) {
    return new Validity(null, null, days, afterDays);
  }

  public boolean isRelative() {
    return days != null;
  }

  public Optional<Refusal> problem() {
    if (days == null) {
      if (from == null || until == null) {
        return Optional.of(new Refusal("validity", "give validFrom and validUntil, or validDays"));
      }
      return until.isAfter(from) ? Optional.empty() : Optional.of(new Refusal("validUntil", "must be after validFrom"));
    }
    if (days < 1 || days > 3660) {
      return Optional.of(new Refusal("validDays", "must be between 1 and 3660"));
    }
    if (afterDays < 0 || afterDays > 365) {
      return Optional.of(new Refusal("validAfterDays", "must be between 0 and 365"));
    }
    if (from != null && until != null && !until.isAfter(from)) {
      return Optional.of(new Refusal("validUntil", "must be after validFrom"));
    }
    return Optional.empty();
  }

  /** The window of a coupon issued at {@code issuedAt}; local days in {@code zone}. */
  public Window windowFor(Instant issuedAt, ZoneId zone) {
    if (days == null) {
      return new Window(from, until);
    }
    LocalDate issueDay = issuedAt.atZone(zone).toLocalDate();
    Instant start = afterDays == 0 ? issuedAt : issueDay.plusDays(afterDays).atStartOfDay(zone).toInstant();
    Instant end = issueDay.plusDays(afterDays + (long) days).atStartOfDay(zone).toInstant();
    if (from != null && start.isBefore(from)) {
      start = from;
    }
    if (until != null && end.isAfter(until)) {
      end = until;
    }
    return new Window(start, end.isAfter(start) ? end : start);
  }

  /** Whether coupons can still be issued at {@code at}: not once an absolute window has ended. */
  public boolean issuableAt(Instant at) {
    return until == null || at.isBefore(until);
  }
}
