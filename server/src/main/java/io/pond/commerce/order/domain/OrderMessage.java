package io.pond.commerce.order.domain;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one platform message (a push, a polled page entry, an export row, a POS call) says about an
 * order, already mapped to canonical terms. Everything but the key and the platform's modified time
 * is optional: a payment message may carry only the amount and the status, a refund message only the
 * refund. {@link OrderMergePolicy} folds messages into a {@link CanonicalOrder}.
 *
 * @param modifiedAt the platform's modified time of the order as of this message (Taobao
 *     {@code modified}, Kuaishou {@code updateTime}, …); the clock for "latest wins"
 * @param lines null when the message says nothing about lines (not: "the order has no lines")
 * @param buyers the buyer's person identifiers (never receiver phones, {@code oaid} or nicks)
 */
public record OrderMessage(
    OrderKey key,
    Instant modifiedAt,
    OrderStatus status,
    String rawStatus,
    Long paidFen,
    Long discountFen,
    Long shippingFen,
    List<OrderLine> lines,
    List<Identifier> buyers,
    OrderTimes times,
    List<Refund> refunds,
    String rawPayload) {

  public OrderMessage {
    Objects.requireNonNull(key, "key");
    modifiedAt = Times.normalize(Objects.requireNonNull(modifiedAt, "modifiedAt"));
    requireNotNegative(paidFen, "paid");
    requireNotNegative(discountFen, "discount");
    requireNotNegative(shippingFen, "shipping");
    lines = lines == null ? null : List.copyOf(lines);
    if (lines != null && lines.stream().map(OrderLine::lineId).distinct().count() != lines.size()) {
      throw new IllegalArgumentException("two lines of order " + key.platformOrderId() + " have the same line id");
    }
    buyers = buyers == null ? List.of() : List.copyOf(buyers);
    times = times == null ? OrderTimes.NONE : times;
    refunds = refunds == null ? List.of() : List.copyOf(refunds);
  }

  private static void requireNotNegative(Long fen, String what) {
    if (fen != null && fen < 0) {
      throw new IllegalArgumentException(what + " amount is negative: " + fen);
    }
  }

  public static Builder builder(OrderKey key, Instant modifiedAt) {
    return new Builder(key, modifiedAt);
  }

  /** Adapters fill a message field by field as they read a payload. */
  public static final class Builder {
    private final OrderKey key;
    private final Instant modifiedAt;
    private OrderStatus status;
    private String rawStatus;
    private Long paidFen;
    private Long discountFen;
    private Long shippingFen;
    private List<OrderLine> lines;
    private final List<Identifier> buyers = new ArrayList<>();
    private Instant createdAt;
    private Instant paidAt;
    private Instant shippedAt;
    private Instant deliveredAt;
    private Instant completedAt;
    private Instant endedAt;
    private final List<Refund> refunds = new ArrayList<>();
    private String rawPayload;

    private Builder(OrderKey key, Instant modifiedAt) {
      this.key = key;
      this.modifiedAt = modifiedAt;
    }

    public Builder status(OrderStatus status, String raw) {
      this.status = status;
      this.rawStatus = raw;
      return this;
    }

    public Builder paidFen(Long fen) {
      this.paidFen = fen;
      return this;
    }

    public Builder discountFen(Long fen) {
      this.discountFen = fen;
      return this;
    }

    public Builder shippingFen(Long fen) {
      this.shippingFen = fen;
      return this;
    }

    public Builder lines(List<OrderLine> lines) {
      this.lines = lines;
      return this;
    }

    public Builder buyer(Identifier identifier) {
      if (identifier != null && !identifier.value().isBlank()) {
        buyers.add(identifier);
      }
      return this;
    }

    public Builder createdAt(Instant t) {
      createdAt = t;
      return this;
    }

    public Builder paidAt(Instant t) {
      paidAt = t;
      return this;
    }

    public Builder shippedAt(Instant t) {
      shippedAt = t;
      return this;
    }

    public Builder deliveredAt(Instant t) {
      deliveredAt = t;
      return this;
    }

    public Builder completedAt(Instant t) {
      completedAt = t;
      return this;
    }

    public Builder endedAt(Instant t) {
      endedAt = t;
      return this;
    }

    public Builder refund(Refund refund) {
      refunds.add(refund);
      return this;
    }

    public Builder rawPayload(String payload) {
      this.rawPayload = payload;
      return this;
    }

    public OrderMessage build() {
      return new OrderMessage(
          key,
          modifiedAt,
          status,
          rawStatus,
          paidFen,
          discountFen,
          shippingFen,
          lines,
          buyers,
          new OrderTimes(createdAt, paidAt, shippedAt, deliveredAt, completedAt, endedAt),
          refunds,
          rawPayload);
    }
  }
}
