package io.pond.loyalty.program.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Tier qualification: which tier a measure qualifies for, over which window, when reviews happen,
 * what a review decides (and why), and what a member still needs to keep or reach a tier.
 */
public final class TierPolicy {

  private TierPolicy() {}

  /** Sums of the qualifying facts over a window. */
  public record Measures(long growth, long spendFen, long orders) {
    public long of(String measure) {
      return switch (measure) {
        case "spend" -> spendFen;
        case "orders" -> orders;
        default -> growth;
      };
    }
  }

  /** The highest level whose threshold the value reaches (at least 1). */
  public static int qualifiedLevel(ProgramConfig config, long value) {
    int level = 1;
    for (int i = 0; i < config.tiers().size(); i++) {
      if (value >= config.tiers().get(i).threshold()) {
        level = i + 1;
      }
    }
    return level;
  }

  /** Start of the window that counts for upgrades now. */
  public static Instant windowStart(ProgramConfig config, Instant now, Instant joinedAt, ZoneId zone) {
    ZonedDateTime local = now.atZone(zone);
    return switch (config.qualification().window()) {
      case "calendar_year" -> LocalDate.of(local.getYear(), 1, 1).atStartOfDay(zone).toInstant();
      case "anniversary" -> lastAnniversary(now, joinedAt, zone);
      default -> local.minusMonths(config.qualification().windowMonths()).toInstant();
    };
  }

  /** Start of the window a review at {@code reviewAt} looks back over (the period that just ended). */
  public static Instant reviewWindowStart(ProgramConfig config, Instant reviewAt, ZoneId zone) {
    ZonedDateTime local = reviewAt.atZone(zone);
    return switch (config.qualification().window()) {
      case "calendar_year", "anniversary" -> local.minusYears(1).toInstant();
      default -> local.minusMonths(config.qualification().windowMonths()).toInstant();
    };
  }

  /** The first review strictly after {@code after}: monthly for rolling windows, yearly otherwise. */
  public static Instant nextReview(ProgramConfig config, Instant after, Instant joinedAt, ZoneId zone) {
    ZonedDateTime local = after.atZone(zone);
    return switch (config.qualification().window()) {
      case "calendar_year" -> LocalDate.of(local.getYear() + 1, 1, 1).atStartOfDay(zone).toInstant();
      case "anniversary" -> lastAnniversary(after, joinedAt, zone).atZone(zone).plusYears(1).toInstant();
      default -> local.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
    };
  }

  private static Instant lastAnniversary(Instant now, Instant joinedAt, ZoneId zone) {
    ZonedDateTime joined = joinedAt.atZone(zone);
    ZonedDateTime local = now.atZone(zone);
    ZonedDateTime candidate = joined.plusYears(Math.max(0, local.getYear() - joined.getYear()));
    while (candidate.isAfter(local)) {
      candidate = candidate.minusYears(1);
    }
    return candidate.isBefore(joined) ? joinedAt : candidate.toInstant();
  }

  /** What a review decides for one account. */
  public sealed interface Review permits Review.Keep, Review.Change {
    String reason();

    record Keep(String reason) implements Review {}

    record Change(int level, String reason) implements Review {}
  }

  /**
   * A review at {@code now}: an account that no longer qualifies for its tier goes down one step or
   * to the tier it qualifies for, unless it reached its tier within the grace period.
   */
  public static Review review(ProgramConfig config, int current, long value, Instant tierSince, Instant now) {
    int qualified = qualifiedLevel(config, value);
    String measure = config.qualification().measure();
    if (qualified >= current) {
      return new Review.Keep(measure + " " + value + " qualifies for " + config.tier(qualified).code());
    }
    ProgramConfig.Qualification q = config.qualification();
    if (tierSince.plus(java.time.Duration.ofDays(q.graceDays())).isAfter(now)) {
      return new Review.Keep(
          config.tier(current).code() + " reached " + tierSince + ", within the " + q.graceDays() + "-day grace period");
    }
    int target = "recalculate".equals(q.downgrade()) ? qualified : current - 1;
    return new Review.Change(
        target,
        "review: "
            + measure
            + " "
            + value
            + " is below "
            + config.tier(current).threshold()
            + " needed for "
            + config.tier(current).code()
            + " ("
            + q.downgrade().replace('_', ' ')
            + ")");
  }

  /**
   * Where a member stands: what the current window counts, what is still needed to keep the current
   * tier at the next review, and to reach the next tier now.
   */
  public record Projection(
      String tier,
      long value,
      String measure,
      Instant nextReviewAt,
      long toKeep,
      String projectedTier,
      String nextTier,
      long toNext,
      String summary) {}

  public static Projection project(
      ProgramConfig config, int current, long valueNow, long valueForReview, Instant nextReviewAt) {
    String measure = config.qualification().measure();
    long keepThreshold = config.tier(current).threshold();
    long toKeep = Math.max(0, keepThreshold - valueForReview);
    int projected =
        toKeep == 0
            ? current
            : "recalculate".equals(config.qualification().downgrade())
                ? qualifiedLevel(config, valueForReview)
                : Math.max(1, current - 1);
    String next = current < config.tierCount() ? config.tier(current + 1).code() : null;
    long toNext = next == null ? 0 : Math.max(0, config.tier(current + 1).threshold() - valueNow);
    String code = config.tier(current).code();
    StringBuilder summary = new StringBuilder();
    summary.append(toKeep == 0 ? code + " is kept at the next review" : toKeep + " more " + measure + " to keep " + code);
    if (next != null) {
      summary.append("; ").append(toNext).append(" more to reach ").append(next);
    }
    return new Projection(
        code, valueNow, measure, nextReviewAt, toKeep, config.tier(projected).code(), next, toNext, summary.toString());
  }
}
