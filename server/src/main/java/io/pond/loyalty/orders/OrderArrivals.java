package io.pond.loyalty.orders;

/** Told when a paid order is known to loyalty (e.g. order claims held until their order arrives). */
public interface OrderArrivals {

  void arrived(OrderFacts.Order order);
}
