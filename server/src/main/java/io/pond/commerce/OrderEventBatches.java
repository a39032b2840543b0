package io.pond.commerce;

import java.util.List;

/**
 * The order events of a bulk-load chunk announced by {@link OrdersImported}. Kept for
 * {@value #RETENTION_DAYS} days, long enough for every listener (including one replayed after a
 * restart) to read them.
 */
public interface OrderEventBatches {

  int RETENTION_DAYS = 30;

  /** The chunk's events in publication order; empty when the batch is unknown or expired. */
  List<OrderEvent> events(long batchId);

  /** The events of one type, in publication order. */
  default <T extends OrderEvent> List<T> events(long batchId, Class<T> type) {
    return events(batchId).stream().filter(type::isInstance).map(type::cast).toList();
  }
}
