package io.pond.commerce;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * One canonical order as other modules read it through {@link OrderLookup}: its key, status, money
 * in fen, times, buyer identifiers (values as the channel gave them, personal ones included), lines
 * and refunds. The raw payload stays inside commerce.
 *
 * @param paid whether the order was paid at some point (a paid time is known or the status says so)
 * @param placedAt the platform's creation time, or the first modified time Pond saw
 */
public record OrderSummary(
    long orderId,
    String channel,
    String shopId,
    String platformOrderId,
    String status,
    boolean paid,
    long paidFen,
    long discountFen,
    long shippingFen,
    long refundedFen,
    Instant placedAt,
    Instant paidAt,
    Instant completedAt,
    Instant endedAt,
    Instant modifiedAt,
    List<Identifier> buyers,
    List<Line> lines,
    List<Refund> refunds) {

  /** A line: what was bought and what was paid for it after discounts. */
  public record Line(String lineId, String sku, String title, String category, int quantity, long unitPriceFen, long paidFen) {}

  /** A refund request and its state ({@code REQUESTED}, {@code AGREED}, {@code REFUNDED}, {@code CLOSED}). */
  public record Refund(String refundId, String lineId, String state, long amountFen, Instant modifiedAt) {}
}
