package io.pond.loyalty.ledger.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefundPolicyTest {

  private final List<Lots.Balance> others =
      List.of(new Lots.Balance(2, 10, null), new Lots.Balance(3, 15, Instant.parse("2026-06-01T00:00:00Z")));

  @Test
  void only_pending_takes_nothing_once_the_order_points_are_available() {
    var plan = RefundPolicy.ONLY_PENDING.plan(40, new RefundPolicy.OrderLot(1, 0, false), others);
    assertThat(plan.taken()).isZero();
    assertThat(plan.forgiven()).isEqualTo(40);
  }

  @Test
  void within_balance_takes_the_order_lot_then_the_earliest_expiring_lots_and_forgives_the_rest() {
    var plan = RefundPolicy.WITHIN_BALANCE.plan(40, new RefundPolicy.OrderLot(1, 5, false), others);
    assertThat(plan.fromOrderLot()).isEqualTo(5);
    assertThat(plan.fromOtherLots()).containsExactly(new Lots.Allocation(3, 15), new Lots.Allocation(2, 10));
    assertThat(plan.forgiven()).isEqualTo(10);
    assertThat(plan.debt()).isZero();
  }

  @Test
  void unlimited_turns_the_shortfall_into_a_negative_balance() {
    var plan = RefundPolicy.UNLIMITED.plan(40, new RefundPolicy.OrderLot(1, 5, true), others);
    assertThat(plan.debt()).isEqualTo(10);
    assertThat(plan.taken()).isEqualTo(40);
  }
}
