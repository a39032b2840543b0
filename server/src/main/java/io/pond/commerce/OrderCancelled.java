package io.pond.commerce;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * An order was cancelled or closed (once per order).
 *
 * @param status {@code CANCELLED} or {@code CLOSED}
 * @param wasPaid whether it had been paid (then points credited for it must be taken back)
 */
public record OrderCancelled(
    long orderId,
    String channel,
    String shopId,
    String platformOrderId,
    List<Identifier> buyers,
    String status,
    boolean wasPaid,
    long paidFen,
    long refundedFen,
    Instant cancelledAt) implements OrderEvent {}
