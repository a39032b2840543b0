package io.pond.loyalty.program.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One version of a loyalty program's rules: tiers and how they qualify, how points are earned, when
 * they become available and expire, and what a refund takes back. Kinds are wire strings (lower
 * snake case) so that a bad value is a validation failure naming the field, not an unreadable body.
 *
 * @param tiers L1…Ln, lowest first; L1's threshold is normally 0
 * @param refundPolicy {@code only_pending}, {@code within_balance} or {@code unlimited}
 * @param refundRevertsTier whether a refund that drops qualification below the current tier lowers it
 *     (never below the tier confirmed at the last review)
 * @param returnWindowDays days after an order completes before its points become available
 * @param expiringSoonDays how far ahead {@code PointsExpiringSoon} warns
 * @param reservationTimeoutMinutes how long a checkout reservation holds points before it expires
 */
public record ProgramConfig(
    List<Tier> tiers,
    Qualification qualification,
    Earning earning,
    Expiry expiry,
    String refundPolicy,
    Boolean refundRevertsTier,
    Integer returnWindowDays,
    Integer expiringSoonDays,
    Integer reservationTimeoutMinutes) {

  public static final List<String> REFUND_POLICIES = List.of("only_pending", "within_balance", "unlimited");
  public static final List<String> EVENT_TYPES = List.of("sign_in", "review", "live_like", "join_gift");

  /** A tier; its level is its position (1-based) in {@link ProgramConfig#tiers()}. */
  public record Tier(String code, String name, Long threshold, BigDecimal multiplier) {}

  /**
   * @param measure {@code growth}, {@code spend} (fen) or {@code orders}
   * @param window {@code rolling_months}, {@code calendar_year} or {@code anniversary}
   * @param windowMonths length of a rolling window
   * @param downgrade {@code one_step} or {@code recalculate}, applied at review
   * @param graceDays a tier reached less than this many days before a review is kept at that review
   */
  public record Qualification(String measure, String window, Integer windowMonths, String downgrade, Integer graceDays) {}

  /**
   * @param pointsPerYuan base rate for one yuan (100 fen) paid
   * @param growthPerYuan growth value for one yuan paid
   * @param rules more specific rates by channel, shop and/or category (the most specific match wins)
   * @param promotions local dates (brand timezone) on which points are multiplied
   * @param perOrderCap most points one order earns (null: no cap)
   * @param perDayCap most order points one account earns per local day (null: no cap)
   * @param events points for non-order events: sign_in, review, live_like, join_gift
   */
  public record Earning(
      BigDecimal pointsPerYuan,
      BigDecimal growthPerYuan,
      List<Rule> rules,
      List<Promotion> promotions,
      Long perOrderCap,
      Long perDayCap,
      Map<String, EventReward> events) {}

  public record Rule(String channel, String shop, String category, BigDecimal pointsPerYuan) {
    int specificity() {
      return (channel == null ? 0 : 1) + (shop == null ? 0 : 1) + (category == null ? 0 : 1);
    }
  }

  public record Promotion(String name, java.time.LocalDate from, java.time.LocalDate to, String channel, BigDecimal multiplier) {}

  /** @param dailyLimit how many times a day one account earns it (0: no limit) */
  public record EventReward(Long points, Integer dailyLimit) {}

  /** @param kind {@code never}, {@code rolling_days}, {@code end_of_year} or {@code end_of_following_year} */
  public record Expiry(String kind, Integer days) {}

  /** The configuration with every omitted value set to its default. */
  public ProgramConfig withDefaults() {
    Qualification q = qualification == null ? new Qualification(null, null, null, null, null) : qualification;
    Earning e = earning == null ? new Earning(null, null, null, null, null, null, null) : earning;
    Expiry x = expiry == null ? new Expiry(null, null) : expiry;
    List<Tier> t =
        tiers == null || tiers.isEmpty()
            ? List.of(new Tier("L1", "Member", 0L, BigDecimal.ONE))
            : tiers.stream()
                .map(
                    tier ->
                        tier == null
                            ? null
                            : new Tier(
                                tier.code(),
                                tier.name() == null ? tier.code() : tier.name(),
                                tier.threshold() == null ? 0L : tier.threshold(),
                                tier.multiplier() == null ? BigDecimal.ONE : tier.multiplier()))
                .toList();
    return new ProgramConfig(
        t,
        new Qualification(
            or(q.measure(), "growth"),
            or(q.window(), "rolling_months"),
            q.windowMonths() == null ? 12 : q.windowMonths(),
            or(q.downgrade(), "one_step"),
            q.graceDays() == null ? 0 : q.graceDays()),
        new Earning(
            e.pointsPerYuan() == null ? BigDecimal.ONE : e.pointsPerYuan(),
            e.growthPerYuan() == null ? BigDecimal.ONE : e.growthPerYuan(),
            e.rules() == null ? List.of() : e.rules(),
            e.promotions() == null ? List.of() : e.promotions(),
            e.perOrderCap(),
            e.perDayCap(),
            e.events() == null ? Map.of() : new LinkedHashMap<>(e.events())),
        new Expiry(or(x.kind(), "never"), x.days()),
        or(refundPolicy, "within_balance"),
        refundRevertsTier == null ? Boolean.TRUE : refundRevertsTier,
        returnWindowDays == null ? 7 : returnWindowDays,
        expiringSoonDays == null ? 30 : expiringSoonDays,
        reservationTimeoutMinutes == null ? 15 : reservationTimeoutMinutes);
  }

  private static String or(String value, String fallback) {
    return value == null ? fallback : value.toLowerCase(Locale.ROOT);
  }

  /** A rule the configuration breaks, with the JSON path of the field at fault. */
  public record Violation(String field, String message) {}

  /** Every problem of a configuration that has had {@link #withDefaults()} applied; empty when valid. */
  public List<Violation> violations() {
    List<Violation> v = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < tiers.size(); i++) {
      Tier t = tiers.get(i);
      String f = "tiers[" + i + "]";
      if (t == null) {
        v.add(new Violation(f, "must not be null"));
        continue;
      }
      if (t.code() == null || !t.code().matches("[A-Za-z0-9_-]{1,32}")) {
        v.add(new Violation(f + ".code", "must be 1-32 letters, digits, '_' or '-'"));
      } else if (!codes.add(t.code())) {
        v.add(new Violation(f + ".code", "duplicates another tier's code"));
      }
      if (t.threshold() < 0) {
        v.add(new Violation(f + ".threshold", "must not be negative"));
      }
      if (i > 0 && tiers.get(i - 1) != null && t.threshold() <= tiers.get(i - 1).threshold()) {
        v.add(new Violation(f + ".threshold", "must be greater than the threshold of the tier below"));
      }
      if (t.multiplier().signum() <= 0 || t.multiplier().compareTo(BigDecimal.TEN) > 0) {
        v.add(new Violation(f + ".multiplier", "must be greater than 0 and at most 10"));
      }
    }
    if (tiers.size() > 20) {
      v.add(new Violation("tiers", "at most 20 tiers"));
    }
    oneOf(v, "qualification.measure", qualification.measure(), List.of("growth", "spend", "orders"));
    oneOf(v, "qualification.window", qualification.window(), List.of("rolling_months", "calendar_year", "anniversary"));
    oneOf(v, "qualification.downgrade", qualification.downgrade(), List.of("one_step", "recalculate"));
    range(v, "qualification.windowMonths", qualification.windowMonths(), 1, 120);
    range(v, "qualification.graceDays", qualification.graceDays(), 0, 3650);
    rate(v, "earning.pointsPerYuan", earning.pointsPerYuan());
    rate(v, "earning.growthPerYuan", earning.growthPerYuan());
    for (int i = 0; i < earning.rules().size(); i++) {
      Rule r = earning.rules().get(i);
      if (r == null || r.specificity() == 0) {
        v.add(new Violation("earning.rules[" + i + "]", "must name a channel, a shop or a category"));
      } else {
        rate(v, "earning.rules[" + i + "].pointsPerYuan", r.pointsPerYuan());
      }
    }
    for (int i = 0; i < earning.promotions().size(); i++) {
      Promotion p = earning.promotions().get(i);
      String f = "earning.promotions[" + i + "]";
      if (p == null || p.from() == null) {
        v.add(new Violation(f + ".from", "must be a local date, e.g. 2026-11-11"));
        continue;
      }
      if (p.to() != null && p.to().isBefore(p.from())) {
        v.add(new Violation(f + ".to", "must not be before 'from'"));
      }
      if (p.multiplier() == null || p.multiplier().compareTo(BigDecimal.ONE) < 0 || p.multiplier().compareTo(BigDecimal.TEN) > 0) {
        v.add(new Violation(f + ".multiplier", "must be between 1 and 10"));
      }
    }
    if (earning.perOrderCap() != null && earning.perOrderCap() <= 0) {
      v.add(new Violation("earning.perOrderCap", "must be positive (omit it for no cap)"));
    }
    if (earning.perDayCap() != null && earning.perDayCap() <= 0) {
      v.add(new Violation("earning.perDayCap", "must be positive (omit it for no cap)"));
    }
    for (var event : earning.events().entrySet()) {
      String f = "earning.events." + event.getKey();
      if (!EVENT_TYPES.contains(event.getKey())) {
        v.add(new Violation(f, "unknown event; one of " + String.join(", ", EVENT_TYPES)));
      } else if (event.getValue() == null || event.getValue().points() == null || event.getValue().points() <= 0) {
        v.add(new Violation(f + ".points", "must be positive"));
      } else if (event.getValue().dailyLimit() != null && event.getValue().dailyLimit() < 0) {
        v.add(new Violation(f + ".dailyLimit", "must not be negative"));
      }
    }
    oneOf(v, "expiry.kind", expiry.kind(), List.of("never", "rolling_days", "end_of_year", "end_of_following_year"));
    if ("rolling_days".equals(expiry.kind())) {
      range(v, "expiry.days", expiry.days(), 1, 36500);
    }
    oneOf(v, "refundPolicy", refundPolicy, REFUND_POLICIES);
    range(v, "returnWindowDays", returnWindowDays, 0, 365);
    range(v, "expiringSoonDays", expiringSoonDays, 1, 365);
    range(v, "reservationTimeoutMinutes", reservationTimeoutMinutes, 1, 10080);
    return v;
  }

  public int tierCount() {
    return tiers.size();
  }

  /** The tier at {@code level} (1-based). */
  public Tier tier(int level) {
    return tiers.get(Math.max(1, Math.min(level, tiers.size())) - 1);
  }

  private static void oneOf(List<Violation> v, String field, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      v.add(new Violation(field, "must be one of " + String.join(", ", allowed)));
    }
  }

  private static void range(List<Violation> v, String field, Integer value, int min, int max) {
    if (value == null || value < min || value > max) {
      v.add(new Violation(field, "must be between " + min + " and " + max));
    }
  }

  private static void rate(List<Violation> v, String field, BigDecimal value) {
    if (value == null || value.signum() < 0 || value.compareTo(BigDecimal.valueOf(1000)) > 0) {
      v.add(new Violation(field, "must be between 0 and 1000"));
    }
  }
}
