package io.pond.commerce.channel;

import io.pond.commerce.channel.ChannelShops.ChannelShop;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.commerce.order.domain.Refund;
import io.pond.commerce.order.domain.RefundState;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Taobao/Tmall TMC messages ({@code taobao_trade_*}, {@code taobao_refund_*}), as forwarded by the
 * brand's TMC consumer: {@code {"topic", "content" (JSON or JSON string), "pub_time"}}. TMC is a
 * long-lived client connection, not an HTTP push, so the forwarder signs each message with the shop's
 * secret ({@code X-Pond-Signature}). The buyer is {@code buyer_open_uid} (per appkey); {@code buyer_nick}
 * and {@code oaid} are never used as identities.
 */
@Component
class TaobaoAdapter implements ChannelAdapter {

  static final Map<String, OrderStatus> STATUSES =
      Map.ofEntries(
          Map.entry("TRADE_NO_CREATE_PAY", OrderStatus.CREATED),
          Map.entry("WAIT_BUYER_PAY", OrderStatus.CREATED),
          Map.entry("PAY_PENDING", OrderStatus.CREATED),
          Map.entry("WAIT_SELLER_SEND_GOODS", OrderStatus.PAID),
          Map.entry("PAID_FORBID_CONSIGN", OrderStatus.PAID),
          Map.entry("SELLER_CONSIGNED_PART", OrderStatus.PARTIALLY_SHIPPED),
          Map.entry("WAIT_BUYER_CONFIRM_GOODS", OrderStatus.SHIPPED),
          Map.entry("TRADE_BUYER_SIGNED", OrderStatus.DELIVERED),
          Map.entry("TRADE_FINISHED", OrderStatus.COMPLETED),
          Map.entry("TRADE_CLOSED", OrderStatus.CLOSED),
          Map.entry("TRADE_CLOSED_BY_TAOBAO", OrderStatus.CANCELLED));

  private static final Map<String, RefundState> REFUND_TOPICS =
      Map.of(
          "taobao_refund_RefundCreate", RefundState.REQUESTED,
          "taobao_refund_RefundSellerAgreeAgreement", RefundState.AGREED,
          "taobao_refund_RefundSuccess", RefundState.REFUNDED,
          "taobao_refund_RefundClosed", RefundState.CLOSED,
          "taobao_trade_TradePartlyRefund", RefundState.REFUNDED);

  @Override
  public Channel channel() {
    return Channel.TAOBAO;
  }

  @Override
  public void authenticate(ChannelShop shop, HookRequest request) {
    Signatures.requireHmac(request, shop.secret());
  }

  @Override
  public List<Mapped> map(ChannelShop shop, String body) {
    return List.of(Adapters.attempt(body, () -> mapOne(shop, body)));
  }

  private Mapped mapOne(ChannelShop shop, String body) {
    JsonNode envelope = Json.parse(body);
    String topic = Json.required(envelope, "topic");
    if (!topic.startsWith("taobao_trade_") && !topic.startsWith("taobao_refund_")) {
      throw new Json.BadPayload("unknown Taobao topic '" + topic + "'");
    }
    JsonNode c = Json.nested(envelope, "content");
    String tid = Json.required(c, "tid");
    Instant modified = Json.localTime(c, "modified");
    if (modified == null) {
      modified = Json.localTime(envelope, "pub_time");
    }
    if (modified == null) {
      throw new Json.BadPayload("neither 'modified' nor 'pub_time' is present");
    }
    OrderMessage.Builder m = OrderMessage.builder(new OrderKey(Channel.TAOBAO, shop.shopId(), tid), modified).rawPayload(body);
    String openUid = Json.text(c, "buyer_open_uid");
    if (openUid != null) {
      m.buyer(Identifier.scoped(Identifier.TAOBAO_OPEN_UID, shop.appKey() == null ? shop.shopId() : shop.appKey(), openUid));
    }
    String ouid = Json.text(c, "ouid");
    if (ouid != null) {
      m.buyer(Identifier.scoped(Identifier.TAOBAO_OUID, shop.shopId(), ouid));
    }
    RefundState refund = REFUND_TOPICS.get(topic);
    if (refund != null) {
      String refundId = Json.text(c, "refund_id");
      if (refundId == null) {
        refundId = "oid-" + Json.required(c, "oid");
      }
      Long fee = Json.yuan(c, "refund_fee");
      m.refund(new Refund(refundId, Json.text(c, "oid"), refund, fee == null ? 0 : fee, modified));
      String raw = Json.text(c, "status");
      if (raw != null && STATUSES.containsKey(raw)) {
        m.status(STATUSES.get(raw), raw);
      }
      return Adapters.accepted(m.build());
    }
    String raw = Json.text(c, "status");
    OrderStatus status = Adapters.status(STATUSES, raw, "Taobao");
    if (status == null) {
      status = switch (topic) {
        case "taobao_trade_TradeCreate" -> OrderStatus.CREATED;
        case "taobao_trade_TradeBuyerPay" -> OrderStatus.PAID;
        case "taobao_trade_TradeSellerShip" -> OrderStatus.SHIPPED;
        case "taobao_trade_TradeSuccess" -> OrderStatus.COMPLETED;
        case "taobao_trade_TradeClose" -> OrderStatus.CLOSED;
        default -> null;
      };
      raw = status == null ? null : topic;
    }
    m.status(status, raw)
        .paidFen(Json.yuan(c, "payment"))
        .discountFen(Json.yuan(c, "discount_fee"))
        .shippingFen(Json.yuan(c, "post_fee"))
        .lines(Adapters.lines(c.get("orders"), "oid", "outer_sku_id", "title", "num", "price", "payment", true))
        .createdAt(Json.localTime(c, "created"))
        .paidAt(Json.localTime(c, "pay_time"))
        .shippedAt(Json.localTime(c, "consign_time"))
        .completedAt(Json.localTime(c, "end_time"));
    if (status == OrderStatus.PAID && Json.localTime(c, "pay_time") == null && topic.endsWith("TradeBuyerPay")) {
      m.paidAt(modified);
    }
    if (status == OrderStatus.COMPLETED && Json.localTime(c, "end_time") == null) {
      m.completedAt(modified);
    }
    if (status != null && status.isEnded()) {
      m.endedAt(modified);
    }
    return Adapters.accepted(m.build());
  }
}
