package io.pond.commerce.order.domain;

import java.time.Instant;

/**
 * When things happened, in platform time. Each is the earliest time any message reported, so that a
 * late or repeated message cannot move it.
 */
public record OrderTimes(
    Instant createdAt, Instant paidAt, Instant shippedAt, Instant deliveredAt, Instant completedAt, Instant endedAt) {

  public static final OrderTimes NONE = new OrderTimes(null, null, null, null, null, null);

  public OrderTimes {
    createdAt = Times.normalize(createdAt);
    paidAt = Times.normalize(paidAt);
    shippedAt = Times.normalize(shippedAt);
    deliveredAt = Times.normalize(deliveredAt);
    completedAt = Times.normalize(completedAt);
    endedAt = Times.normalize(endedAt);
  }

  OrderTimes earliestOf(OrderTimes o) {
    return new OrderTimes(
        Times.earliest(createdAt, o.createdAt),
        Times.earliest(paidAt, o.paidAt),
        Times.earliest(shippedAt, o.shippedAt),
        Times.earliest(deliveredAt, o.deliveredAt),
        Times.earliest(completedAt, o.completedAt),
        Times.earliest(endedAt, o.endedAt));
  }
}
