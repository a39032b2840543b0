package io.pond.commerce;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * More money of an order was refunded: {@code refundedFen} now, {@code totalRefundedFen} in all (one
 * event per increase, so a listener can claw back proportionally and idempotently by total).
 */
public record OrderRefunded(
    long orderId,
    String channel,
    String shopId,
    String platformOrderId,
    List<Identifier> buyers,
    long paidFen,
    long refundedFen,
    long totalRefundedFen,
    Instant refundedAt) implements OrderEvent {}
