package io.pond.commerce;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * Pond heard of an order for the first time (from a push, a poll, an import or the POS API).
 *
 * @param orderId Pond's id of the order ({@code GET /api/v1/orders/{id}})
 * @param channel the channel's wire name ({@code taobao}, {@code doudian}, …)
 * @param buyers the buyer's identifiers, for the identity module to resolve
 * @param placedAt the platform's creation time, or the first message's modified time
 */
public record OrderPlaced(
    long orderId,
    String channel,
    String shopId,
    String platformOrderId,
    List<Identifier> buyers,
    String status,
    long paidFen,
    Instant placedAt) implements OrderEvent {}
