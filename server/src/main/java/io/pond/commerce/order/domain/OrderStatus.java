package io.pond.commerce.order.domain;

/**
 * The canonical order status. The declaration order is the rank that {@link OrderMergePolicy} uses:
 * an order only ever moves to a higher rank. CANCELLED (never paid, or cancelled before shipping) and
 * CLOSED (closed by the platform, e.g. fully refunded) rank above every progress status, so a late
 * "shipped" message cannot revive a closed order.
 */
public enum OrderStatus {
  CREATED,
  PAID,
  PARTIALLY_SHIPPED,
  SHIPPED,
  DELIVERED,
  COMPLETED,
  CANCELLED,
  CLOSED;

  public boolean isEnded() {
    return this == CANCELLED || this == CLOSED;
  }

  /** Paid and on its way (PAID … COMPLETED). */
  public boolean isPaidProgress() {
    return ordinal() >= PAID.ordinal() && ordinal() <= COMPLETED.ordinal();
  }
}
