package io.pond.commerce.order.domain;

import static io.pond.commerce.order.domain.Orders.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The order merge policy: a status never moves backwards, amounts follow the latest modified time, duplicates change nothing. */
class OrderMergePolicyTest {

  static Stream<Arguments> statusMatrix() {
    return Stream.of(
        // current, incoming, expected
        Arguments.of(OrderStatus.CREATED, OrderStatus.PAID, OrderStatus.PAID),
        Arguments.of(OrderStatus.PAID, OrderStatus.CREATED, OrderStatus.PAID),
        Arguments.of(OrderStatus.PAID, OrderStatus.PARTIALLY_SHIPPED, OrderStatus.PARTIALLY_SHIPPED),
        Arguments.of(OrderStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED),
        Arguments.of(OrderStatus.SHIPPED, OrderStatus.PAID, OrderStatus.SHIPPED),
        Arguments.of(OrderStatus.DELIVERED, OrderStatus.SHIPPED, OrderStatus.DELIVERED),
        Arguments.of(OrderStatus.COMPLETED, OrderStatus.SHIPPED, OrderStatus.COMPLETED),
        Arguments.of(OrderStatus.COMPLETED, OrderStatus.CLOSED, OrderStatus.CLOSED),
        Arguments.of(OrderStatus.CREATED, OrderStatus.CANCELLED, OrderStatus.CANCELLED),
        Arguments.of(OrderStatus.CANCELLED, OrderStatus.PAID, OrderStatus.CANCELLED),
        Arguments.of(OrderStatus.CLOSED, OrderStatus.COMPLETED, OrderStatus.CLOSED),
        Arguments.of(OrderStatus.CANCELLED, OrderStatus.CLOSED, OrderStatus.CLOSED));
  }

  @ParameterizedTest(name = "{0} then {1} gives {2}")
  @MethodSource("statusMatrix")
  void a_status_never_moves_backwards_whatever_the_message_time(OrderStatus current, OrderStatus incoming, OrderStatus expected) {
    // the incoming message is newer AND older than the current one: the rank alone decides
    CanonicalOrder newer = fold(List.of(status(10, current), status(20, incoming)));
    CanonicalOrder older = fold(List.of(status(10, current), status(5, incoming)));
    assertThat(newer.status()).isEqualTo(expected);
    assertThat(older.status()).isEqualTo(expected);
  }

  @Test
  void a_stale_status_is_ignored_with_a_reason() {
    CanonicalOrder completed = fold(List.of(status(10, OrderStatus.COMPLETED)));
    MergeOutcome outcome = OrderMergePolicy.apply(completed, status(20, OrderStatus.SHIPPED));
    assertThat(outcome.ignored()).singleElement().asString().contains("never moves backwards");
    assertThat(outcome.order().status()).isEqualTo(OrderStatus.COMPLETED);
    assertThat(outcome.order().rawStatus()).isEqualTo("RAW_COMPLETED");
    assertThat(outcome.transitions()).isEmpty();
    // the newer message is still the latest word on the order: its time and payload are kept
    assertThat(outcome.order().modifiedAt()).isEqualTo(at(20));
  }

  @Test
  void amounts_follow_the_latest_modified_time_not_the_arrival_order() {
    CanonicalOrder inOrder = fold(List.of(paid(10, 12000), paid(20, 9900)));
    CanonicalOrder reversed = fold(List.of(paid(20, 9900), paid(10, 12000)));
    assertThat(inOrder.paidFen()).isEqualTo(9900);
    assertThat(reversed.paidFen()).isEqualTo(9900);
    assertThat(reversed).isEqualTo(inOrder);
  }

  @Test
  void a_stale_amount_is_reported_as_ignored() {
    MergeOutcome outcome = OrderMergePolicy.apply(fold(List.of(paid(20, 9900))), paid(10, 12000));
    assertThat(outcome.order().paidFen()).isEqualTo(9900);
    assertThat(outcome.ignored()).anySatisfy(r -> assertThat(r).startsWith("paid amount from"));
  }

  @Test
  void a_duplicate_changes_nothing_and_says_so() {
    CanonicalOrder once = fold(List.of(withLines(5, 5900), paid(10, 11800)));
    MergeOutcome again = OrderMergePolicy.apply(once, paid(10, 11800));
    assertThat(again).isInstanceOf(MergeOutcome.Unchanged.class);
    assertThat(again.order()).isEqualTo(once);
    assertThat(again.transitions()).isEmpty();
    assertThat(again.ignored()).singleElement().asString().startsWith("duplicate");
  }

  @Test
  void a_message_without_amounts_keeps_the_known_ones() {
    CanonicalOrder order = fold(List.of(paid(10, 11800), status(30, OrderStatus.SHIPPED)));
    assertThat(order.paidFen()).isEqualTo(11800);
    assertThat(order.status()).isEqualTo(OrderStatus.SHIPPED);
    assertThat(order.times().paidAt()).isEqualTo(at(10));
  }

  @Test
  void transitions_fire_once_each_in_business_order() {
    MergeOutcome created = OrderMergePolicy.apply(null, status(0, OrderStatus.CREATED));
    assertThat(created.transitions()).containsExactly(new OrderTransition.Placed());
    MergeOutcome paid = OrderMergePolicy.apply(created.order(), paid(10, 11800));
    assertThat(paid.transitions()).containsExactly(new OrderTransition.Paid());
    MergeOutcome completed = OrderMergePolicy.apply(paid.order(), status(40, OrderStatus.COMPLETED));
    assertThat(completed.transitions()).containsExactly(new OrderTransition.Completed());
    assertThat(OrderMergePolicy.apply(completed.order(), status(50, OrderStatus.COMPLETED)).transitions()).isEmpty();
  }

  @Test
  void an_order_first_seen_completed_is_placed_paid_and_completed_at_once() {
    MergeOutcome outcome = OrderMergePolicy.apply(null, status(0, OrderStatus.COMPLETED));
    assertThat(outcome.transitions())
        .containsExactly(new OrderTransition.Placed(), new OrderTransition.Paid(), new OrderTransition.Completed());
  }

  @Test
  void a_paid_order_that_is_closed_is_cancelled_and_remembers_it_was_paid() {
    CanonicalOrder order = fold(List.of(paid(10, 11800)));
    MergeOutcome closed = OrderMergePolicy.apply(order, status(20, OrderStatus.CLOSED));
    assertThat(closed.transitions()).containsExactly(new OrderTransition.Cancelled(OrderStatus.CLOSED));
    assertThat(closed.order().isPaid()).isTrue();
  }

  @Test
  void refunds_move_forward_per_refund_and_the_refunded_amount_only_counts_money_paid_back() {
    CanonicalOrder order =
        fold(List.of(withLines(0, 5900), paid(1, 11800), refund(5, "R1", RefundState.REQUESTED, 5900)));
    assertThat(order.refundedFen()).isZero();
    assertThat(order.refundStatus(order.lineList().getFirst())).isEqualTo(RefundStatus.REQUESTED);

    MergeOutcome success = OrderMergePolicy.apply(order, refund(9, "R1", RefundState.REFUNDED, 5900));
    assertThat(success.transitions()).containsExactly(new OrderTransition.Refunded(5900, 5900));
    assertThat(success.order().refundStatus(success.order().lineList().getFirst())).isEqualTo(RefundStatus.PARTIALLY_REFUNDED);

    // a late "requested" for the same refund does not undo it
    MergeOutcome late = OrderMergePolicy.apply(success.order(), refund(3, "R1", RefundState.REQUESTED, 5900));
    assertThat(late).isInstanceOf(MergeOutcome.Unchanged.class);

    MergeOutcome second = OrderMergePolicy.apply(success.order(), refund(12, "R2", RefundState.REFUNDED, 5900));
    assertThat(second.order().refundedFen()).isEqualTo(11800);
    assertThat(second.order().refundStatus(second.order().lineList().getFirst())).isEqualTo(RefundStatus.REFUNDED);
    assertThat(second.transitions()).containsExactly(new OrderTransition.Refunded(5900, 11800));
  }

  @Test
  void a_closed_refund_request_leaves_the_line_closed_and_nothing_refunded() {
    CanonicalOrder order =
        fold(List.of(withLines(0, 5900), refund(5, "R1", RefundState.AGREED, 5900), refund(6, "R1", RefundState.CLOSED, 5900)));
    assertThat(order.refundStatus(order.lineList().getFirst())).isEqualTo(RefundStatus.CLOSED);
    assertThat(order.refundedFen()).isZero();
  }

  @Test
  void timestamps_keep_the_earliest_report_and_buyers_accumulate() {
    CanonicalOrder order =
        fold(List.of(message(20).paidAt(at(15)).build(), message(10).paidAt(at(12)).build(), withLines(30, 100)));
    assertThat(order.times().paidAt()).isEqualTo(at(12));
    assertThat(order.buyers()).hasSize(1);
  }

  @Test
  void the_raw_payload_is_the_latest_messages() {
    CanonicalOrder order = fold(List.of(status(30, OrderStatus.SHIPPED), status(10, OrderStatus.PAID)));
    assertThat(order.rawPayload()).isEqualTo("{\"minute\":30}");
    assertThat(order.modifiedAt()).isEqualTo(at(30));
  }
}
