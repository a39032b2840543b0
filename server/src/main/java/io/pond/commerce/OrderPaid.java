package io.pond.commerce;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/** An order became paid (once per order). Loyalty credits pending points on it. */
public record OrderPaid(
    long orderId,
    String channel,
    String shopId,
    String platformOrderId,
    List<Identifier> buyers,
    long paidFen,
    long discountFen,
    long shippingFen,
    Instant paidAt) implements OrderEvent {}
