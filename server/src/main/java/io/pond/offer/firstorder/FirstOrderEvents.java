package io.pond.offer.firstorder;

import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderEventBatches;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrdersImported;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.platform.Identifier;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Commerce's paid orders, for first orders. The buyer is the holder of a coupon redeemed on the order
 * when there is one, else the person OneID resolves the order's buyer identifiers to (an order whose
 * buyer is not yet known to OneID is not counted).
 */
@Component
class FirstOrderEvents {

  private final FirstOrders firstOrders;
  private final Persons persons;
  private final JdbcClient jdbc;
  private final OrderEventBatches batches;

  FirstOrderEvents(FirstOrders firstOrders, Persons persons, JdbcClient jdbc, OrderEventBatches batches) {
    this.batches = batches;
    this.firstOrders = firstOrders;
    this.persons = persons;
    this.jdbc = jdbc;
  }

  /** Imported orders (history included) count too: a person who bought before is not a new customer. */
  @ApplicationModuleListener
  void on(OrdersImported chunk) {
    for (OrderEvent e : batches.events(chunk.batchId())) {
      if (e instanceof OrderPaid paid) {
        on(paid);
      }
    }
  }

  @ApplicationModuleListener
  void on(OrderPaid order) {
    String orderKey = order.channel() + "/" + order.shopId() + "/" + order.platformOrderId();
    Optional<Integer> person =
        jdbc.sql("SELECT person_id FROM offer_lock WHERE channel = ? AND shop = ? AND order_id = ? AND status = 'REDEEMED' ORDER BY id")
            .params(order.channel(), order.shopId(), order.platformOrderId())
            .query(Integer.class)
            .list()
            .stream()
            .findFirst();
    if (person.isEmpty() && order.buyers() != null) {
      for (Identifier buyer : order.buyers()) {
        Optional<PersonId> p = persons.personOf(buyer);
        if (p.isPresent()) {
          person = Optional.of(persons.current(p.get()).orElse(p.get()).value());
          break;
        }
      }
    }
    person.ifPresent(p -> firstOrders.orderPaid(p, orderKey, order.paidAt()));
  }
}
