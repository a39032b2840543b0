package io.pond.offer.firstorder;

import io.pond.commerce.OrderEventBatches;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrdersImported;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.offer.member.Members;
import io.pond.platform.storage.InLists;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Commerce's paid orders, for first orders. The buyer is the holder of a coupon redeemed on the order
 * when there is one, else the person OneID resolves the order's buyer identifiers to (an order whose
 * buyer OneID does not know within {@link #BUYER_WAIT} is not counted).
 */
@Component
class FirstOrderEvents {

  /**
   * How long a chunk (or a single paid order) waits for OneID to know its buyers; an order whose buyer
   * is still unknown then is not counted.
   */
  static final Duration BUYER_WAIT = Duration.ofSeconds(5);

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

  /**
   * Imported orders (history included) count too: a person who bought before is not a new customer. A
   * chunk's paid orders are recorded at once: their coupon holders read by short lists, the first
   * orders stored with batched statements.
   */
  @ApplicationModuleListener
  void on(OrdersImported chunk) {
    List<OrderPaid> paid = batches.events(chunk.batchId()).stream()
        .filter(OrderPaid.class::isInstance).map(OrderPaid.class::cast).toList();
    Map<String, Integer> holders = couponHolders(paid);
    long deadline = System.nanoTime() + BUYER_WAIT.toNanos();
    List<Members.Paid> orders = new ArrayList<>();
    for (OrderPaid order : paid) {
      String orderKey = orderKey(order);
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      Optional.ofNullable(holders.get(orderKey)).or(() -> buyer(order, left))
          .ifPresent(p -> orders.add(new Members.Paid(p, orderKey, order.paidAt())));
    }
    firstOrders.ordersPaid(orders);
  }

  @ApplicationModuleListener
  void on(OrderPaid order) {
    String orderKey = orderKey(order);
    Optional.ofNullable(couponHolders(List.of(order)).get(orderKey)).or(() -> buyer(order, BUYER_WAIT))
        .ifPresent(p -> firstOrders.orderPaid(p, orderKey, order.paidAt()));
  }

  private static String orderKey(OrderPaid order) {
    return order.channel() + "/" + order.shopId() + "/" + order.platformOrderId();
  }

  /** Order key → the holder of the first coupon redeemed on the order, for the orders that have one. */
  private Map<String, Integer> couponHolders(List<OrderPaid> orders) {
    Map<List<String>, List<String>> byShop = new LinkedHashMap<>();
    orders.forEach(o -> byShop.computeIfAbsent(List.of(o.channel(), o.shopId()), k -> new ArrayList<>()).add(o.platformOrderId()));
    Map<String, Integer> out = new HashMap<>();
    byShop.forEach((shop, ids) -> {
      for (List<String> chunk : InLists.chunks(ids.stream().distinct().toList())) {
        List<Object> params = new ArrayList<>(shop);
        params.addAll(chunk);
        jdbc.sql("SELECT order_id, person_id FROM offer_lock WHERE channel = ? AND shop = ? AND order_id IN ("
                + InLists.placeholders(chunk.size()) + ") AND status = 'REDEEMED' ORDER BY id")
            .params(params)
            .query(rs -> {
              out.putIfAbsent(shop.get(0) + "/" + shop.get(1) + "/" + rs.getString(1), rs.getInt(2));
            });
      }
    });
    return out;
  }

  /**
   * The current person of the first buyer identifier OneID knows, waiting up to {@code wait} for it
   * (identity resolves the buyers in its own listener of the same event).
   */
  private Optional<Integer> buyer(OrderPaid order, Duration wait) {
    return persons.awaitPersonOf(order.buyers(), wait).map(p -> persons.current(p).orElse(p).value());
  }
}
