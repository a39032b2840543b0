package io.pond.commerce;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/** An order reached COMPLETED (once per order): the buyer kept it; pending points may activate. */
public record OrderCompleted(
    long orderId,
    String channel,
    String shopId,
    String platformOrderId,
    List<Identifier> buyers,
    long paidFen,
    long refundedFen,
    Instant completedAt) implements OrderEvent {}
