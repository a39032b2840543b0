package io.pond.commerce.channel;

import io.pond.commerce.channel.ChannelShops.ChannelShop;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * 微信小店 order events ({@code channels_ec_order_new/_pay/_deliver/_confirm/_settle/_cancel}) pushed in
 * JSON mode: {@code {ToUserName, FromUserName, CreateTime, MsgType:"event", Event, order_info{order_id,
 * …}}}. Authenticated the WeChat way: query {@code signature = sha1(sort(token, timestamp, nonce))}
 * with the shop's token as its secret. The events carry no amounts; those come from order detail
 * pulls or imports.
 */
@Component
class WechatShopAdapter implements ChannelAdapter {

  static final Map<String, OrderStatus> EVENTS =
      Map.of(
          "channels_ec_order_new", OrderStatus.CREATED,
          "channels_ec_order_pay", OrderStatus.PAID,
          "channels_ec_order_deliver", OrderStatus.SHIPPED,
          "channels_ec_order_confirm", OrderStatus.DELIVERED,
          "channels_ec_order_settle", OrderStatus.COMPLETED,
          "channels_ec_order_cancel", OrderStatus.CANCELLED);

  @Override
  public Channel channel() {
    return Channel.WECHAT_SHOP;
  }

  @Override
  public void authenticate(ChannelShop shop, HookRequest request) {
    String timestamp = request.query("timestamp");
    String nonce = request.query("nonce");
    String joined =
        String.join("", Stream.of(shop.secret(), timestamp == null ? "" : timestamp, nonce == null ? "" : nonce).sorted().toList());
    Signatures.require(request.query("signature"), Signatures.sha1Hex(joined), "signature");
  }

  @Override
  public List<Mapped> map(ChannelShop shop, String body) {
    return List.of(Adapters.attempt(body, () -> mapOne(shop, body)));
  }

  private Mapped mapOne(ChannelShop shop, String body) {
    JsonNode push = Json.parse(body);
    String event = Json.required(push, "Event");
    if (!event.startsWith("channels_ec_order_")) {
      return new Mapped.Skipped("WeChat event " + event + " is not about orders");
    }
    OrderStatus status = EVENTS.get(event);
    if (status == null) {
      throw new Json.BadPayload("unknown 微信小店 order event '" + event + "'");
    }
    JsonNode info = push.path("order_info");
    Instant at = Json.epochSeconds(push, "CreateTime");
    if (at == null) {
      throw new Json.BadPayload("'CreateTime' is missing");
    }
    if (status == OrderStatus.SHIPPED && "0".equals(Json.text(info, "finish_delivery"))) {
      status = OrderStatus.PARTIALLY_SHIPPED;
    }
    OrderMessage.Builder m =
        OrderMessage.builder(new OrderKey(Channel.WECHAT_SHOP, shop.shopId(), Json.required(info, "order_id")), at)
            .rawPayload(body)
            .status(status, event)
            .createdAt(status == OrderStatus.CREATED ? at : null)
            .paidAt(Json.epochSeconds(info, "pay_time"))
            .shippedAt(status == OrderStatus.SHIPPED || status == OrderStatus.PARTIALLY_SHIPPED ? at : null)
            .deliveredAt(Json.epochSeconds(info, "confirm_receipt_time"))
            .completedAt(status == OrderStatus.COMPLETED ? at : null)
            .endedAt(status == OrderStatus.CANCELLED ? at : null);
    if (status == OrderStatus.PAID && Json.epochSeconds(info, "pay_time") == null) {
      m.paidAt(at);
    }
    String openId = Json.text(info, "openid");
    if (openId != null && shop.appKey() != null) {
      m.buyer(Identifier.scoped(Identifier.WECHAT_OPENID, shop.appKey(), openId));
    }
    return Adapters.accepted(m.build());
  }
}
