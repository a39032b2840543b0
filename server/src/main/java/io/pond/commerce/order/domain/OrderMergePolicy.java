package io.pond.commerce.order.domain;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How messages about one order become one canonical order, whatever order they arrive in and however
 * often: <b>a status never moves backwards; amounts follow the platform's latest modified time;
 * duplicates change nothing.</b>
 *
 * <p>Each message is read as an order of its own ({@link #fromMessage}) and joined with what is
 * known ({@link #join}). The join is commutative, associative and idempotent, so any permutation or
 * repetition of the same messages gives the same order (a property test holds it to that):
 *
 * <ul>
 *   <li>status: the higher rank ({@link OrderStatus} order); on a tie the later status time, then the
 *       greater raw status, so the raw status stays deterministic;
 *   <li>paid, discount, shipping and lines: each the value of the message with the latest platform
 *       modified time; on a tie the greater value;
 *   <li>buyer identifiers: the union; refunds: per refund id the furthest state
 *       ({@link RefundState} order), then the latest time;
 *   <li>timestamps: the earliest reported; the raw payload: the latest message's.
 * </ul>
 */
public final class OrderMergePolicy {

  private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());
  private static final Comparator<Instant> INSTANT_NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

  private OrderMergePolicy() {}

  /** Folds {@code message} into {@code existing} (null when the order is new). */
  public static MergeOutcome apply(CanonicalOrder existing, OrderMessage message) {
    CanonicalOrder incoming = fromMessage(message);
    if (existing == null) {
      return new MergeOutcome.Created(incoming, transitions(null, incoming), List.of());
    }
    if (!existing.key().equals(message.key())) {
      throw new IllegalArgumentException("message for " + message.key() + " applied to order " + existing.key());
    }
    CanonicalOrder merged = join(existing, incoming);
    List<String> ignored = reasons(existing, incoming, merged);
    if (merged.equals(existing)) {
      return new MergeOutcome.Unchanged(existing, ignored);
    }
    return new MergeOutcome.Changed(existing, merged, transitions(existing, merged), ignored);
  }

  /** The order that one message alone describes. */
  public static CanonicalOrder fromMessage(OrderMessage m) {
    Instant at = m.modifiedAt();
    return new CanonicalOrder(
        m.key(),
        m.status() == null ? OrderStatus.CREATED : m.status(),
        m.status() == null ? null : m.rawStatus(),
        m.status() == null ? null : at,
        Stamped.of(m.paidFen(), at),
        Stamped.of(m.discountFen(), at),
        Stamped.of(m.shippingFen(), at),
        m.lines() == null ? null : new Stamped<>(m.lines(), at),
        m.buyers(),
        m.times(),
        dedupeRefunds(m.refunds()),
        at,
        m.rawPayload());
  }

  /** The join of two versions of one order (commutative, associative, idempotent). */
  public static CanonicalOrder join(CanonicalOrder a, CanonicalOrder b) {
    boolean statusFromA = compareStatus(a, b) >= 0;
    CanonicalOrder s = statusFromA ? a : b;
    boolean payloadFromA =
        Comparator.comparing(CanonicalOrder::modifiedAt)
                .thenComparing(CanonicalOrder::rawPayload, NULLS_FIRST)
                .compare(a, b)
            >= 0;
    List<Identifier> buyers = new ArrayList<>(a.buyers());
    buyers.addAll(b.buyers());
    List<Refund> refunds = new ArrayList<>(a.refunds());
    refunds.addAll(b.refunds());
    return new CanonicalOrder(
        a.key(),
        s.status(),
        s.rawStatus(),
        s.statusAt(),
        latest(a.paid(), b.paid(), Comparator.naturalOrder()),
        latest(a.discount(), b.discount(), Comparator.naturalOrder()),
        latest(a.shipping(), b.shipping(), Comparator.naturalOrder()),
        latest(a.lines(), b.lines(), Comparator.comparing(Object::toString)),
        buyers,
        a.times().earliestOf(b.times()),
        dedupeRefunds(refunds),
        payloadFromA ? a.modifiedAt() : b.modifiedAt(),
        payloadFromA ? a.rawPayload() : b.rawPayload());
  }

  private static int compareStatus(CanonicalOrder a, CanonicalOrder b) {
    return Comparator.comparing(CanonicalOrder::status)
        .thenComparing(CanonicalOrder::statusAt, INSTANT_NULLS_FIRST)
        .thenComparing(CanonicalOrder::rawStatus, NULLS_FIRST)
        .compare(a, b);
  }

  private static <T> Stamped<T> latest(Stamped<T> a, Stamped<T> b, Comparator<T> tieBreak) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int byTime = a.at().compareTo(b.at());
    if (byTime != 0) {
      return byTime > 0 ? a : b;
    }
    if (a.value().equals(b.value())) {
      return a; // PERF: a re-delivery (lines' tie-break compares their text); either is the same
    }
    return tieBreak.compare(a.value(), b.value()) >= 0 ? a : b;
  }

  private static List<Refund> dedupeRefunds(List<Refund> refunds) {
    Map<String, Refund> byId = new LinkedHashMap<>();
    for (Refund r : refunds) {
      byId.merge(r.refundId(), r, OrderMergePolicy::joinRefund);
    }
    return List.copyOf(byId.values());
  }

  private static Refund joinRefund(Refund a, Refund b) {
    Refund winner = Refund.PRECEDENCE.compare(a, b) >= 0 ? a : b;
    Refund other = winner == a ? b : a;
    if (winner.lineId() == null && other.lineId() != null) {
      return new Refund(winner.refundId(), other.lineId(), winner.state(), winner.amountFen(), winner.modifiedAt());
    }
    return winner;
  }

  private static List<OrderTransition> transitions(CanonicalOrder before, CanonicalOrder after) {
    List<OrderTransition> out = new ArrayList<>();
    if (before == null) {
      out.add(new OrderTransition.Placed());
    }
    if ((before == null || !before.isPaid()) && after.isPaid()) {
      out.add(new OrderTransition.Paid());
    }
    if ((before == null || before.status() != OrderStatus.COMPLETED) && after.status() == OrderStatus.COMPLETED) {
      out.add(new OrderTransition.Completed());
    }
    if ((before == null || !before.status().isEnded()) && after.status().isEnded()) {
      out.add(new OrderTransition.Cancelled(after.status()));
    }
    long refundedBefore = before == null ? 0 : before.refundedFen();
    if (after.refundedFen() > refundedBefore) {
      out.add(new OrderTransition.Refunded(after.refundedFen() - refundedBefore, after.refundedFen()));
    }
    return List.copyOf(out);
  }

  /** Why parts of a message left the order as it was. */
  private static List<String> reasons(CanonicalOrder existing, CanonicalOrder incoming, CanonicalOrder merged) {
    List<String> out = new ArrayList<>();
    if (incoming.rawStatus() != null && !Objects.equals(merged.rawStatus(), incoming.rawStatus())
        && merged.status().compareTo(incoming.status()) > 0) {
      out.add("status " + incoming.status() + " (" + incoming.rawStatus() + ") ignored: the order is already "
          + merged.status() + "; a status never moves backwards");
    }
    stale(out, "paid amount", existing.paid(), incoming.paid(), merged.paid());
    stale(out, "discount", existing.discount(), incoming.discount(), merged.discount());
    stale(out, "shipping fee", existing.shipping(), incoming.shipping(), merged.shipping());
    stale(out, "lines", existing.lines(), incoming.lines(), merged.lines());
    if (merged.equals(existing) && out.isEmpty()) {
      out.add("duplicate: the message says nothing the order does not already know");
    }
    return List.copyOf(out);
  }

  private static <T> void stale(List<String> out, String what, Stamped<T> existing, Stamped<T> incoming, Stamped<T> merged) {
    if (incoming != null && existing != null && !incoming.equals(merged) && !incoming.value().equals(merged.value())) {
      out.add(what + " from " + incoming.at() + " ignored: a value modified at " + merged.at() + " is newer");
    }
  }
}
