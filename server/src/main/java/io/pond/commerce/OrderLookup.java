package io.pond.commerce;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The narrow read side of commerce, for modules that attribute orders to persons (profile) and need
 * the current state of an order rather than the event that announced a change of it.
 */
public interface OrderLookup {

  Optional<OrderSummary> find(long orderId);

  /** The orders with these ids that exist, in no particular order. */
  List<OrderSummary> findAll(Collection<Long> orderIds);

  /** Up to {@code limit} orders with ids above {@code afterId}, in id order: a full scan, page by page. */
  List<OrderSummary> page(long afterId, int limit);
}
