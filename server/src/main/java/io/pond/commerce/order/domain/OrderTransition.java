package io.pond.commerce.order.domain;

/** A business-relevant change of an order, the cause of one module event. */
public sealed interface OrderTransition {
  /** First time Pond heard of the order. */
  record Placed() implements OrderTransition {}

  /** The order became paid. */
  record Paid() implements OrderTransition {}

  /** The order reached COMPLETED. */
  record Completed() implements OrderTransition {}

  /** The order was cancelled or closed. */
  record Cancelled(OrderStatus status) implements OrderTransition {}

  /** More money was refunded: {@code deltaFen} now, {@code totalFen} in all. */
  record Refunded(long deltaFen, long totalFen) implements OrderTransition {}
}
