package io.pond.profile.metrics;

import io.pond.commerce.OrderCancelled;
import io.pond.commerce.OrderCompleted;
import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderEventBatches;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrderPlaced;
import io.pond.commerce.OrderRefunded;
import io.pond.commerce.OrdersImported;
import io.pond.profile.person.ProfileEvents;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Commerce's order events keep the metrics current. Each event only says "this order changed": the
 * order's current state is read from commerce, so duplicate or out-of-order deliveries (the listeners
 * run asynchronously, through the durable publication registry) leave the same result.
 */
@Component
class OrderFeed {

  private final Metrics metrics;
  private final OrderEventBatches batches;
  private final ProfileEvents events;

  OrderFeed(Metrics metrics, OrderEventBatches batches, ProfileEvents events) {
    this.metrics = metrics;
    this.batches = batches;
    this.events = events;
  }

  /** An imported chunk: every order it changed, once; the persons' changes go out as one event. */
  @ApplicationModuleListener
  void on(OrdersImported chunk) {
    events.together(() ->
        metrics.ordersChanged(batches.events(chunk.batchId()).stream().map(OrderEvent::orderId).distinct().toList()));
  }

  @ApplicationModuleListener
  void on(OrderPlaced e) {
    metrics.orderChanged(e.orderId());
  }

  @ApplicationModuleListener
  void on(OrderPaid e) {
    metrics.orderChanged(e.orderId());
  }

  @ApplicationModuleListener
  void on(OrderCompleted e) {
    metrics.orderChanged(e.orderId());
  }

  @ApplicationModuleListener
  void on(OrderCancelled e) {
    metrics.orderChanged(e.orderId());
  }

  @ApplicationModuleListener
  void on(OrderRefunded e) {
    metrics.orderChanged(e.orderId());
  }
}
