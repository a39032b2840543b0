package io.pond.commerce;

import io.pond.platform.Identifier;
import java.util.List;

/**
 * One of commerce's five order events. A delivery (push, poll, POS call) publishes each on its own; a
 * bulk load publishes them as one {@link OrdersImported} per chunk, readable through
 * {@link OrderEventBatches}, in the order a delivery would have published them.
 */
public sealed interface OrderEvent permits OrderPlaced, OrderPaid, OrderCompleted, OrderCancelled, OrderRefunded {

  /** Pond's id of the order. */
  long orderId();

  /** The channel's wire name ({@code taobao}, {@code doudian}, …). */
  String channel();

  String shopId();

  String platformOrderId();

  /** The buyer's identifiers, for the identity module to resolve. */
  List<Identifier> buyers();
}
