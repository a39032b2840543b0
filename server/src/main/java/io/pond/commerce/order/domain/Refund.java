package io.pond.commerce.order.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One refund (after-sale) request: the platform's id, the line it concerns (null for a refund of the
 * whole order), its state, the amount and the platform time of the message that said so.
 */
public record Refund(String refundId, String lineId, RefundState state, long amountFen, Instant modifiedAt) {

  /** The total order {@link OrderMergePolicy} uses to pick the surviving version of one refund. */
  static final Comparator<Refund> PRECEDENCE =
      Comparator.comparing(Refund::state)
          .thenComparing(Refund::modifiedAt)
          .thenComparingLong(Refund::amountFen)
          .thenComparing(Refund::lineId, Comparator.nullsFirst(Comparator.naturalOrder()));

  public Refund {
    if (refundId == null || refundId.isBlank()) {
      throw new IllegalArgumentException("a refund needs an id");
    }
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(modifiedAt, "modifiedAt");
    if (amountFen < 0) {
      throw new IllegalArgumentException("refund " + refundId + " has a negative amount");
    }
    modifiedAt = Times.normalize(modifiedAt);
  }
}
