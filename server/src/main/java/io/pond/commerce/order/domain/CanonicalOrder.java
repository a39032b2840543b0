package io.pond.commerce.order.domain;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The canonical order: everything Pond knows about one platform order, whatever channel it came from.
 * Built and changed only through {@link OrderMergePolicy}. Each group of fields remembers the platform
 * time it was last set at, so that a stale message cannot overwrite a newer value.
 *
 * @param rawStatus the platform's own status string behind {@code status} (e.g. {@code TRADE_FINISHED})
 * @param statusAt platform time of the message that set the status; null when no message had one
 * @param paid what the buyer paid, in fen; null while unknown
 * @param lines the order lines; null while unknown
 * @param buyers the buyer's identifiers, sorted (type, scope, value)
 * @param refunds every refund request seen, sorted by id
 * @param modifiedAt the latest platform modified time seen
 * @param rawPayload the payload of the latest message (by platform time)
 */
public record CanonicalOrder(
    OrderKey key,
    OrderStatus status,
    String rawStatus,
    Instant statusAt,
    Stamped<Long> paid,
    Stamped<Long> discount,
    Stamped<Long> shipping,
    Stamped<List<OrderLine>> lines,
    List<Identifier> buyers,
    OrderTimes times,
    List<Refund> refunds,
    Instant modifiedAt,
    String rawPayload) {

  public static final Comparator<Identifier> IDENTIFIER_ORDER =
      Comparator.comparing(Identifier::type).thenComparing(Identifier::scope).thenComparing(Identifier::value);

  public CanonicalOrder {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    statusAt = Times.normalize(statusAt);
    lines = lines == null ? null : new Stamped<>(List.copyOf(lines.value()), lines.at());
    buyers = buyers.stream().distinct().sorted(IDENTIFIER_ORDER).toList();
    times = times == null ? OrderTimes.NONE : times;
    refunds = refunds.stream().sorted(Comparator.comparing(Refund::refundId)).toList();
    modifiedAt = Times.normalize(Objects.requireNonNull(modifiedAt, "modifiedAt"));
  }

  public long paidFen() {
    return paid == null ? 0 : paid.value();
  }

  public long discountFen() {
    return discount == null ? 0 : discount.value();
  }

  public long shippingFen() {
    return shipping == null ? 0 : shipping.value();
  }

  public List<OrderLine> lineList() {
    return lines == null ? List.of() : lines.value();
  }

  /** Money paid back: the sum of refunds in state REFUNDED. */
  public long refundedFen() {
    return refunds.stream().filter(r -> r.state() == RefundState.REFUNDED).mapToLong(Refund::amountFen).sum();
  }

  /** Paid at some point: a paid time is known, or the status is a paid-progress status. */
  public boolean isPaid() {
    return times.paidAt() != null || status.isPaidProgress();
  }

  /**
   * The refund status of a line, derived from the refunds naming it: fully or partly refunded by
   * amount, else the furthest open request, else CLOSED if every request was closed, else NONE.
   */
  public RefundStatus refundStatus(OrderLine line) {
    List<Refund> own = refunds.stream().filter(r -> line.lineId().equals(r.lineId())).toList();
    if (own.isEmpty()) {
      return RefundStatus.NONE;
    }
    long refunded = own.stream().filter(r -> r.state() == RefundState.REFUNDED).mapToLong(Refund::amountFen).sum();
    if (refunded > 0) {
      return line.paidFen() > 0 && refunded >= line.paidFen() ? RefundStatus.REFUNDED : RefundStatus.PARTIALLY_REFUNDED;
    }
    if (own.stream().anyMatch(r -> r.state() == RefundState.REFUNDED)) {
      return RefundStatus.REFUNDED; // refunded, amount not reported
    }
    if (own.stream().anyMatch(r -> r.state() == RefundState.AGREED)) {
      return RefundStatus.AGREED;
    }
    if (own.stream().anyMatch(r -> r.state() == RefundState.REQUESTED)) {
      return RefundStatus.REQUESTED;
    }
    return RefundStatus.CLOSED;
  }
}
