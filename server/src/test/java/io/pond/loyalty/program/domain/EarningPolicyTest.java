package io.pond.loyalty.program.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Order points: the most specific rate per line, tier and promotion multipliers, caps, rounding down. */
class EarningPolicyTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private static ProgramConfig config(Long perOrderCap, Long perDayCap) {
    return new ProgramConfig(
            List.of(new ProgramConfig.Tier("L1", null, 0L, null), new ProgramConfig.Tier("L2", null, 100L, new BigDecimal("1.5"))),
            null,
            new ProgramConfig.Earning(
                BigDecimal.ONE,
                null,
                List.of(
                    new ProgramConfig.Rule("tmall", null, null, new BigDecimal("2")),
                    new ProgramConfig.Rule("tmall", null, "gift", new BigDecimal("0.5"))),
                List.of(new ProgramConfig.Promotion("double 11", LocalDate.of(2026, 11, 11), null, null, new BigDecimal("2"))),
                perOrderCap,
                perDayCap,
                null),
            null, null, null, null, null, null)
        .withDefaults();
  }

  private static EarningPolicy.OrderFacts order(String channel, Instant paidAt, EarningPolicy.Line... lines) {
    return new EarningPolicy.OrderFacts(channel, "flagship", List.of(lines), paidAt);
  }

  @Test
  void each_line_earns_at_its_most_specific_rule_and_the_tier_multiplier_applies() {
    var award =
        EarningPolicy.forOrder(
            config(null, null),
            order("tmall", Instant.parse("2026-03-01T00:00:00Z"), new EarningPolicy.Line("tea", 10_050), new EarningPolicy.Line("gift", 2_000)),
            2, 0, SHANGHAI);
    // tea: 100.5 yuan × 2 = 201; gift: 20 yuan × 0.5 = 10; × 1.5 = 316.5 → 316
    assertThat(award.points()).isEqualTo(316);
    assertThat(award.growth()).isEqualTo(120);
    assertThat(award.rule()).contains("category=gift").contains("tier L2 1.5");
  }

  @Test
  void a_promotion_day_is_a_local_date_in_the_brand_timezone() {
    Instant localMidnight = Instant.parse("2026-11-10T16:00:00Z"); // 2026-11-11 00:00 in Shanghai
    assertThat(EarningPolicy.forOrder(config(null, null), order("jd", localMidnight, new EarningPolicy.Line(null, 10_000)), 1, 0, SHANGHAI).points())
        .isEqualTo(200);
    assertThat(EarningPolicy.forOrder(config(null, null), order("jd", localMidnight.minusSeconds(1), new EarningPolicy.Line(null, 10_000)), 1, 0, SHANGHAI).points())
        .isEqualTo(100);
  }

  @Test
  void caps_limit_points_per_order_and_per_local_day() {
    var perOrder = EarningPolicy.forOrder(config(80L, null), order("jd", Instant.EPOCH, new EarningPolicy.Line(null, 10_000)), 1, 0, SHANGHAI);
    assertThat(perOrder.points()).isEqualTo(80);
    var perDay = EarningPolicy.forOrder(config(null, 150L), order("jd", Instant.EPOCH, new EarningPolicy.Line(null, 10_000)), 1, 120, SHANGHAI);
    assertThat(perDay.points()).isEqualTo(30);
    assertThat(perDay.rule()).contains("per day (120 earned today)");
  }

  @Test
  void a_configuration_names_every_field_at_fault() {
    ProgramConfig bad =
        new ProgramConfig(
                List.of(new ProgramConfig.Tier("L1", null, 0L, null), new ProgramConfig.Tier("L1", null, -5L, BigDecimal.ZERO)),
                new ProgramConfig.Qualification("visits", null, null, null, null),
                null,
                new ProgramConfig.Expiry("rolling_days", 0),
                null, null, null, null, null)
            .withDefaults();
    assertThat(bad.violations())
        .extracting(ProgramConfig.Violation::field)
        .contains("tiers[1].code", "tiers[1].threshold", "tiers[1].multiplier", "qualification.measure", "expiry.days");
  }
}
