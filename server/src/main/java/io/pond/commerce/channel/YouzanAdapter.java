package io.pond.commerce.channel;

import io.pond.commerce.channel.ChannelShops.ChannelShop;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Youzan pushes: {@code {client_id, id, kdt_id, mode, msg, sign, status, test, type, version}} with
 * {@code sign = md5(client_id + msg + client_secret)} over {@code msg} exactly as sent (URL-encoded
 * JSON holding {@code full_order_info}). The shop's app key is the {@code client_id}, its secret the
 * {@code client_secret}. Test pushes ({@code test: true}) are acknowledged and not stored.
 */
@Component
class YouzanAdapter implements ChannelAdapter {

  static final Map<String, OrderStatus> STATUSES =
      Map.of(
          "WAIT_BUYER_PAY", OrderStatus.CREATED,
          "TRADE_PAID", OrderStatus.PAID,
          "WAIT_CONFIRM", OrderStatus.PAID,
          "WAIT_SELLER_SEND_GOODS", OrderStatus.PAID,
          "WAIT_BUYER_CONFIRM_GOODS", OrderStatus.SHIPPED,
          "TRADE_SUCCESS", OrderStatus.COMPLETED,
          "TRADE_CLOSE", OrderStatus.CLOSED);

  @Override
  public Channel channel() {
    return Channel.YOUZAN;
  }

  @Override
  public void authenticate(ChannelShop shop, HookRequest request) {
    JsonNode body;
    try {
      body = Json.parse(request.body());
    } catch (Json.BadPayload e) {
      throw new PondException(ErrorCode.INVALID_CREDENTIALS, "the push is not JSON, so its sign cannot be checked", "sign");
    }
    String clientId = Json.text(body, "client_id");
    if (shop.appKey() != null && !shop.appKey().equals(clientId)) {
      throw new PondException(ErrorCode.INVALID_CREDENTIALS, "the push's client_id is not the shop's", "client_id");
    }
    String msg = Json.text(body, "msg");
    Signatures.require(Json.text(body, "sign"), Signatures.md5Hex(clientId + (msg == null ? "" : msg) + shop.secret()), "sign");
  }

  @Override
  public List<Mapped> map(ChannelShop shop, String body) {
    return List.of(Adapters.attempt(body, () -> mapOne(shop, body)));
  }

  private Mapped mapOne(ChannelShop shop, String body) {
    JsonNode push = Json.parse(body);
    if ("true".equals(Json.text(push, "test"))) {
      return new Mapped.Skipped("Youzan test push");
    }
    String type = Json.required(push, "type");
    if (!type.startsWith("trade_")) {
      return new Mapped.Skipped("Youzan message type " + type + " is not about orders");
    }
    String msg = Json.required(push, "msg");
    JsonNode info = Json.parse(URLDecoder.decode(msg, StandardCharsets.UTF_8)).path("full_order_info");
    if (info.isMissingNode()) {
      throw new Json.BadPayload("'msg' has no full_order_info");
    }
    JsonNode order = info.path("order_info");
    String tid = Json.required(order, "tid");
    Instant modified = Json.localTime(order, "update_time");
    if (modified == null) {
      modified = Json.localTime(order, "created");
    }
    if (modified == null) {
      throw new Json.BadPayload("order_info has neither update_time nor created");
    }
    String raw = Json.text(order, "status");
    if (raw == null) {
      raw = Json.text(push, "status");
    }
    OrderStatus status = Adapters.status(STATUSES, raw, "Youzan");
    JsonNode pay = info.path("pay_info");
    OrderMessage.Builder m =
        OrderMessage.builder(new OrderKey(Channel.YOUZAN, shop.shopId(), tid), modified)
            .rawPayload(body)
            .status(status, raw)
            .paidFen(Json.yuan(pay, "payment"))
            .shippingFen(Json.yuan(pay, "post_fee"))
            .discountFen(discount(pay))
            .lines(Adapters.lines(info.get("orders"), "oid", "outer_sku_id", "title", "num", "price", "payment", true))
            .createdAt(Json.localTime(order, "created"))
            .paidAt(Json.localTime(order, "pay_time"))
            .shippedAt(Json.localTime(order, "consign_time"))
            .completedAt(Json.localTime(order, "success_time"));
    if (status != null && status.isEnded()) {
      m.endedAt(modified);
    }
    String openId = Json.text(info.path("buyer_info"), "yz_open_id");
    if (openId != null) {
      m.buyer(Identifier.global(Identifier.YOUZAN_OPEN_ID, openId));
    }
    return Adapters.accepted(m.build());
  }

  /** Youzan reports the goods total and the payment; the difference less shipping is the discount. */
  private static Long discount(JsonNode pay) {
    Long total = Json.yuan(pay, "total_fee");
    Long payment = Json.yuan(pay, "payment");
    Long post = Json.yuan(pay, "post_fee");
    if (total == null || payment == null) {
      return null;
    }
    return Math.max(0, total + (post == null ? 0 : post) - payment);
  }
}
