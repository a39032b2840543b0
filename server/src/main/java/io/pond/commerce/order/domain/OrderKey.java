package io.pond.commerce.order.domain;

import java.util.Comparator;
import java.util.Objects;

/** What identifies an order across messages: the channel, the shop and the platform's order id. */
public record OrderKey(Channel channel, String shopId, String platformOrderId) implements Comparable<OrderKey> {

  private static final Comparator<OrderKey> ORDER =
      Comparator.comparing(OrderKey::channel).thenComparing(OrderKey::shopId).thenComparing(OrderKey::platformOrderId);

  public OrderKey {
    Objects.requireNonNull(channel, "channel");
    shopId = requireText(shopId, "shopId");
    platformOrderId = requireText(platformOrderId, "platformOrderId");
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is missing");
    }
    return value.trim();
  }

  @Override
  public int compareTo(OrderKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return channel.wire() + "/" + shopId + "/" + platformOrderId;
  }
}
