package io.pond.commerce.channel;

import io.pond.commerce.order.domain.OrderMessage;

/** What an adapter made of one message of a push: an order message, or a reason to dead-letter it. */
public sealed interface Mapped {

  record Accepted(OrderMessage message) implements Mapped {}

  record Rejected(String reason, String payload) implements Mapped {}

  /** A message that is not about orders (a platform test push, a topic Pond does not follow). */
  record Skipped(String why) implements Mapped {}
}
