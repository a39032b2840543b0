package io.pond.profile.metrics.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsCalculatorTest {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final LocalDate TODAY = LocalDate.of(2026, 6, 30);
  static final RfmScoring THRESHOLDS =
      new RfmScoring(new long[] {30, 90, 180, 365}, new long[] {2, 3, 5, 8}, new long[] {10_000, 30_000, 100_000, 300_000});
  static final ClvModel CLV = new ClvModel(3, 0.6, 365);

  static OrderFact order(long id, String channel, boolean paid, long paidFen, long refundedFen, String at, Map<String, Long> categories) {
    Instant t = Instant.parse(at);
    return new OrderFact(id, channel, paid, paidFen, refundedFen, t, paid ? t : null, categories);
  }

  @Test
  void counts_paid_orders_only_and_derives_aov_refund_rate_dates_and_favourites() {
    List<OrderFact> orders = List.of(
        order(1, "tmall", true, 10_000, 0, "2026-01-10T02:00:00Z", Map.of("tea", 10_000L)),
        order(2, "tmall", true, 20_000, 5_000, "2026-03-01T02:00:00Z", Map.of("tea", 5_000L, "cups", 15_000L)),
        order(3, "jd", true, 30_001, 0, "2026-06-20T17:30:00Z", Map.of("cups", 30_001L)), // 01:30 on 21 June in Shanghai
        order(4, "jd", false, 99_999, 0, "2026-06-25T02:00:00Z", Map.of("tea", 99_999L))); // never paid: not a purchase
    PersonMetrics m = MetricsCalculator.compute(orders, TODAY, SHANGHAI, THRESHOLDS, CLV);
    assertThat(m.orderCount()).isEqualTo(3);
    assertThat(m.spendFen()).isEqualTo(60_001);
    assertThat(m.refundedFen()).isEqualTo(5_000);
    assertThat(m.aovFen()).isEqualTo(20_000); // 60,001 / 3 = 20,000.33
    assertThat(m.refundRatePermille()).isEqualTo(83); // 5,000 / 60,001 = 83.3‰
    assertThat(m.firstOrderDay()).isEqualTo((int) LocalDate.of(2026, 1, 10).toEpochDay());
    assertThat(m.lastOrderDay()).isEqualTo((int) LocalDate.of(2026, 6, 21).toEpochDay());
    assertThat(m.recencyDays()).isEqualTo(9);
    assertThat(m.favouriteChannel()).isEqualTo("tmall");
    assertThat(m.favouriteCategory()).isEqualTo("cups");
    assertThat(m.rfmR()).isEqualTo(5);
    assertThat(m.rfmF()).isEqualTo(3); // 3 orders: at least 3, below 5
    assertThat(m.rfmM()).isEqualTo(3); // net 55,001 fen: at least 30,000, below 100,000
    assertThat(m.metrics()).containsEntry("order_count", 3L).containsEntry("aov_fen", 20_000L).containsEntry("rfm_r", 5L);
  }

  @Test
  void a_person_without_paid_orders_has_no_metrics() {
    PersonMetrics m = MetricsCalculator.compute(
        List.of(order(1, "jd", false, 5_000, 0, "2026-06-01T00:00:00Z", Map.of())), TODAY, SHANGHAI, THRESHOLDS, CLV);
    assertThat(m).isEqualTo(PersonMetrics.NONE);
    assertThat(m.metrics()).containsEntry("order_count", 0L).containsEntry("rfm_r", null);
  }

  @Test
  void ties_for_favourite_channel_go_to_more_spend_then_to_the_name() {
    PersonMetrics m = MetricsCalculator.compute(List.of(
        order(1, "jd", true, 100, 0, "2026-06-01T00:00:00Z", Map.of()),
        order(2, "tmall", true, 200, 0, "2026-06-02T00:00:00Z", Map.of())), TODAY, SHANGHAI, THRESHOLDS, CLV);
    assertThat(m.favouriteChannel()).isEqualTo("tmall");
    assertThat(m.favouriteCategory()).isNull();
  }

  @Test
  void the_clv_estimate_adds_expected_spend_over_the_horizon_unless_the_person_lapsed() {
    // 8 orders, 80,000 fen net, first order 4 years (1,461 days) ago: 2 orders a year of 10,000 fen, retention 0.6 over 3 years
    long expected = 80_000 + Math.round(10_000 * 2.0 * (0.6 + 0.36 + 0.216));
    assertThat(CLV.estimateFen(8, 80_000, 1461, 10)).isEqualTo(expected);
    assertThat(CLV.estimateFen(4, 40_000, 800, 400)).isEqualTo(40_000); // lapsed: history only
    // a first-time buyer counts as one order a year (tenure is at least a year)
    assertThat(CLV.estimateFen(1, 10_000, 3, 3)).isEqualTo(10_000 + Math.round(10_000 * 1.176));
  }

  @Test
  void rfm_scores_follow_the_cut_points() {
    assertThat(List.of(THRESHOLDS.r(0), THRESHOLDS.r(30), THRESHOLDS.r(31), THRESHOLDS.r(365), THRESHOLDS.r(366)))
        .containsExactly(5, 5, 4, 2, 1);
    assertThat(List.of(THRESHOLDS.f(1), THRESHOLDS.f(2), THRESHOLDS.f(8), THRESHOLDS.f(100))).containsExactly(1, 2, 5, 5);
    assertThatThrownBy(() -> new RfmScoring(new long[] {3, 2, 1, 0}, new long[4], new long[4])).hasMessageContaining("decrease");
  }

  @Test
  void quintile_cut_points_give_each_fifth_of_a_population_its_score() {
    long[] recency = new long[100];
    long[] frequency = new long[100];
    long[] monetary = new long[100];
    for (int i = 0; i < 100; i++) {
      recency[i] = i;
      frequency[i] = i + 1;
      monetary[i] = (i + 1) * 1000L;
    }
    RfmScoring q = RfmScoring.quintiles(recency, frequency, monetary);
    int[] rCount = new int[6];
    int[] fCount = new int[6];
    int[] mCount = new int[6];
    for (int i = 0; i < 100; i++) {
      rCount[q.r(recency[i])]++;
      fCount[q.f(frequency[i])]++;
      mCount[q.m(monetary[i])]++;
    }
    assertThat(rCount).containsExactly(0, 20, 20, 20, 20, 20);
    assertThat(fCount).containsExactly(0, 20, 20, 20, 20, 20);
    assertThat(mCount).containsExactly(0, 20, 20, 20, 20, 20);
    assertThat(q.r(0)).isEqualTo(5);
    assertThat(q.f(100)).isEqualTo(5);
    assertThat(RfmScoring.quintiles(new long[0], new long[0], new long[0])).isNull();
  }
}
