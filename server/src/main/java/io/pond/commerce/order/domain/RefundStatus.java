package io.pond.commerce.order.domain;

/** The refund status of one order line, derived from the refunds that name it. */
public enum RefundStatus {
  NONE,
  REQUESTED,
  AGREED,
  PARTIALLY_REFUNDED,
  REFUNDED,
  CLOSED
}
