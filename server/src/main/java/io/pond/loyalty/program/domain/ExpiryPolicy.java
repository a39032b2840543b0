package io.pond.loyalty.program.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/** When points earned at a moment expire: never, after N days, or at the end of the (following) year. */
public final class ExpiryPolicy {

  private ExpiryPolicy() {}

  /** The expiry instant, or null for points that never expire. Year ends are local (brand timezone). */
  public static Instant expiresAt(ProgramConfig.Expiry expiry, Instant earnedAt, ZoneId zone) {
    LocalDate day = LocalDate.ofInstant(earnedAt, zone);
    return switch (expiry.kind()) {
      case "rolling_days" -> earnedAt.plus(expiry.days(), ChronoUnit.DAYS);
      case "end_of_year" -> LocalDate.of(day.getYear() + 1, 1, 1).atStartOfDay(zone).toInstant();
      case "end_of_following_year" -> LocalDate.of(day.getYear() + 2, 1, 1).atStartOfDay(zone).toInstant();
      default -> null;
    };
  }
}
