package io.pond.commerce;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * An order became paid (once per order). Loyalty credits pending points on it; segments count it per
 * product category.
 *
 * @param categories the distinct product categories of its lines (empty while the lines are unknown)
 */
public record OrderPaid(
    long orderId,
    String channel,
    String shopId,
    String platformOrderId,
    List<Identifier> buyers,
    long paidFen,
    long discountFen,
    long shippingFen,
    Instant paidAt,
    List<String> categories) implements OrderEvent {

  public OrderPaid {
    categories = categories == null ? List.of() : List.copyOf(categories);
  }

  /** Without categories (callers that do not know the lines). */
  public OrderPaid(
      long orderId, String channel, String shopId, String platformOrderId, List<Identifier> buyers, long paidFen,
      long discountFen, long shippingFen, Instant paidAt) {
    this(orderId, channel, shopId, platformOrderId, buyers, paidFen, discountFen, shippingFen, paidAt, List.of());
  }
}
