package io.pond.commerce.order.domain;

/**
 * The state of one refund (after-sale) request. The declaration order is its rank: a refund moves
 * forward only (requested → agreed → refunded, or → closed when withdrawn or rejected). REFUNDED
 * ranks above CLOSED because money that was paid back stays paid back.
 */
public enum RefundState {
  REQUESTED,
  AGREED,
  CLOSED,
  REFUNDED
}
