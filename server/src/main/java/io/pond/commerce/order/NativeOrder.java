package io.pond.commerce.order;

import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderLine;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.commerce.order.domain.Refund;
import io.pond.commerce.order.domain.RefundState;
import io.pond.platform.Identifier;
import io.pond.platform.errors.PondException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The native/POS order format of {@code POST /api/v1/orders}: canonical names, money in fen. The
 * channel defaults to {@code native}; an ERP may also send another channel's orders in this format.
 */
public record NativeOrder(
    String channel,
    String shopId,
    String orderId,
    String status,
    Instant modifiedAt,
    Long paidFen,
    Long discountFen,
    Long shippingFen,
    Instant createdAt,
    Instant paidAt,
    Instant shippedAt,
    Instant deliveredAt,
    Instant completedAt,
    Instant cancelledAt,
    List<Buyer> buyers,
    List<Line> lines,
    List<RefundLine> refunds) {

  public record Buyer(String type, String scope, String value) {}

  public record Line(String lineId, String sku, String title, String category, Integer quantity, Long unitPriceFen, Long paidFen) {}

  public record RefundLine(String refundId, String lineId, String state, Long amountFen, Instant modifiedAt) {}

  /** Never identities: address tokens, nicknames and receiver phones (CHANNELS.md, "Identities"). */
  private static final Set<String> NOT_IDENTITIES = Set.of("oaid", "buyer_nick", "receiver_phone", "receiver_mobile");

  /** Validates and maps; a problem names the field at fault. */
  public OrderMessage toMessage(String rawPayload) {
    Channel ch =
        channel == null
            ? Channel.NATIVE
            : Channel.fromWire(channel).orElseThrow(() -> PondException.invalid("channel", "unknown channel '" + channel + "'"));
    require(shopId, "shopId");
    require(orderId, "orderId");
    if (modifiedAt == null) {
      throw PondException.invalid("modifiedAt", "the order's last modified time is required (it orders updates)");
    }
    OrderStatus st = null;
    if (status != null) {
      try {
        st = OrderStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw PondException.invalid("status", "unknown status '" + status + "'; one of CREATED, PAID, PARTIALLY_SHIPPED,"
            + " SHIPPED, DELIVERED, COMPLETED, CANCELLED, CLOSED");
      }
    }
    OrderMessage.Builder m =
        OrderMessage.builder(new OrderKey(ch, shopId, orderId), modifiedAt)
            .rawPayload(rawPayload)
            .status(st, status)
            .paidFen(notNegative(paidFen, "paidFen"))
            .discountFen(notNegative(discountFen, "discountFen"))
            .shippingFen(notNegative(shippingFen, "shippingFen"))
            .createdAt(createdAt)
            .paidAt(paidAt)
            .shippedAt(shippedAt)
            .deliveredAt(deliveredAt)
            .completedAt(completedAt)
            .endedAt(cancelledAt);
    if (buyers != null) {
      for (int i = 0; i < buyers.size(); i++) {
        Buyer b = buyers.get(i);
        String field = "buyers[" + i + "]";
        if (b == null || b.type() == null || b.type().isBlank() || b.value() == null || b.value().isBlank()) {
          throw PondException.invalid(field, "a buyer identifier needs a type and a value");
        }
        if (NOT_IDENTITIES.contains(b.type())) {
          throw PondException.invalid(field + ".type", "'" + b.type() + "' does not identify a person");
        }
        m.buyer(new Identifier(b.type(), b.scope(), b.value()));
      }
    }
    if (lines != null) {
      List<OrderLine> mapped = new java.util.ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        Line l = lines.get(i);
        String field = "lines[" + i + "]";
        int quantity = l.quantity() == null ? 1 : l.quantity();
        if (quantity <= 0) {
          throw PondException.invalid(field + ".quantity", "must be at least 1");
        }
        long unit = notNegative(l.unitPriceFen() == null ? 0L : l.unitPriceFen(), field + ".unitPriceFen");
        long paid = l.paidFen() == null ? quantity * unit : notNegative(l.paidFen(), field + ".paidFen");
        mapped.add(new OrderLine(l.lineId() == null || l.lineId().isBlank() ? String.valueOf(i + 1) : l.lineId(), l.sku(),
            l.title(), l.category(), quantity, unit, paid));
      }
      m.lines(mapped);
    }
    if (refunds != null) {
      for (int i = 0; i < refunds.size(); i++) {
        RefundLine r = refunds.get(i);
        String field = "refunds[" + i + "]";
        require(r.refundId(), field + ".refundId");
        RefundState state;
        try {
          state = RefundState.valueOf(String.valueOf(r.state()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw PondException.invalid(field + ".state", "one of REQUESTED, AGREED, REFUNDED, CLOSED");
        }
        m.refund(new Refund(r.refundId(), r.lineId(), state, notNegative(r.amountFen() == null ? 0L : r.amountFen(),
            field + ".amountFen"), r.modifiedAt() == null ? modifiedAt : r.modifiedAt()));
      }
    }
    return m.build();
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw PondException.invalid(field, "is required");
    }
    if (value.length() > 64) {
      throw PondException.invalid(field, "at most 64 characters");
    }
  }

  private static Long notNegative(Long fen, String field) {
    if (fen != null && fen < 0) {
      throw PondException.invalid(field, "must not be negative");
    }
    return fen;
  }
}
