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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * 抖店 (Douyin shop) message pushes: a JSON list of {@code {tag, msg_id, data}} where {@code data} is
 * JSON (usually as a string). {@code tag} is the topic name ({@code doudian_trade_TradePaid}) or its
 * numeric code. Signed with header {@code event-sign = md5(app_key + body + app_secret)}. Amounts are
 * in fen, times in Unix seconds.
 */
@Component
class DoudianAdapter implements ChannelAdapter {

  /** {@code order_status} codes: 1 awaiting payment, 105 paid, 2 preparing, 101 partly shipped, 3 shipped, 4 cancelled, 5 completed. */
  static final Map<String, OrderStatus> STATUSES =
      Map.of(
          "1", OrderStatus.CREATED,
          "105", OrderStatus.PAID,
          "2", OrderStatus.PAID,
          "101", OrderStatus.PARTIALLY_SHIPPED,
          "3", OrderStatus.SHIPPED,
          "4", OrderStatus.CANCELLED,
          "5", OrderStatus.COMPLETED);

  /** Numeric tags seen in 抖店 pushes (unverified: topic names are accepted as well). */
  private static final Map<String, String> TAGS =
      Map.of(
          "100", "TradeCreate",
          "101", "TradePaid",
          "102", "TradeSellerShip",
          "103", "TradeSuccess",
          "106", "TradeCanceled");

  private static final Map<String, OrderStatus> TOPIC_STATUS =
      Map.of(
          "TradeCreate", OrderStatus.CREATED,
          "TradePaid", OrderStatus.PAID,
          "TradePartlySellerShip", OrderStatus.PARTIALLY_SHIPPED,
          "TradeSellerShip", OrderStatus.SHIPPED,
          "TradeSuccess", OrderStatus.COMPLETED,
          "TradeCanceled", OrderStatus.CANCELLED);

  private static final Map<String, RefundState> REFUND_TOPICS =
      Map.of(
          "RefundCreated", RefundState.REQUESTED,
          "RefundAgreed", RefundState.AGREED,
          "RefundSuccess", RefundState.REFUNDED,
          "RefundClosed", RefundState.CLOSED);

  @Override
  public Channel channel() {
    return Channel.DOUDIAN;
  }

  @Override
  public void authenticate(ChannelShop shop, HookRequest request) {
    String appKey = shop.appKey() == null ? "" : shop.appKey();
    Signatures.require(request.header("event-sign"), Signatures.md5Hex(appKey + request.body() + shop.secret()), "event-sign");
  }

  @Override
  public List<Mapped> map(ChannelShop shop, String body) {
    JsonNode list;
    try {
      list = Json.parse(body);
    } catch (Json.BadPayload e) {
      return List.of(new Mapped.Rejected(e.getMessage(), body));
    }
    if (!list.isArray()) {
      return List.of(new Mapped.Rejected("a 抖店 push is a JSON list of messages", body));
    }
    List<Mapped> out = new ArrayList<>();
    for (JsonNode item : list) {
      String payload = item.toString();
      out.add(Adapters.attempt(payload, () -> mapOne(shop, item, payload)));
    }
    return out;
  }

  private Mapped mapOne(ChannelShop shop, JsonNode item, String payload) {
    String tag = Json.required(item, "tag");
    String topic = TAGS.getOrDefault(tag, tag.replaceFirst("^doudian_(trade|refund)_", ""));
    JsonNode d = Json.nested(item, "data");
    String shopInData = Json.text(d, "shop_id");
    if (shopInData != null && !shopInData.equals(shop.shopId())) {
      throw new Json.BadPayload("message for shop " + shopInData + " pushed to shop " + shop.shopId());
    }
    String pid = Json.required(d, "p_id");
    Instant modified = firstTime(d, "update_time", "success_time", "pay_time", "ship_time", "complete_time", "cancel_time",
        "apply_time", "create_time");
    if (modified == null) {
      modified = Json.epochSeconds(item, "create_time");
    }
    if (modified == null) {
      throw new Json.BadPayload("no time in the message (update_time, pay_time, …)");
    }
    OrderMessage.Builder m = OrderMessage.builder(new OrderKey(Channel.DOUDIAN, shop.shopId(), pid), modified).rawPayload(payload);
    String openId = Json.text(d, "open_id");
    if (openId == null) {
      openId = Json.text(d, "doudian_open_id");
    }
    if (openId != null) {
      m.buyer(Identifier.scoped(Identifier.DOUDIAN_OPEN_ID, shop.shopId(), openId));
    }
    RefundState refund = REFUND_TOPICS.get(topic);
    if (refund != null) {
      Long amount = Json.fen(d, "refund_amount");
      m.refund(new Refund(Json.required(d, "aftersale_id"), Json.text(d, "s_id"), refund, amount == null ? 0 : amount, modified));
      return Adapters.accepted(m.build());
    }
    if (!TOPIC_STATUS.containsKey(topic) && !"TradeAmountChanged".equals(topic)) {
      throw new Json.BadPayload("unknown 抖店 message tag '" + tag + "'");
    }
    String raw = Json.text(d, "order_status");
    OrderStatus status = Adapters.status(STATUSES, raw, "抖店");
    if (status == null && TOPIC_STATUS.containsKey(topic)) {
      status = TOPIC_STATUS.get(topic);
      raw = topic;
    }
    m.status(status, raw)
        .paidFen(Json.fen(d, "pay_amount"))
        .shippingFen(Json.fen(d, "post_amount"))
        .discountFen(Json.fen(d, "promotion_amount"))
        .createdAt(Json.epochSeconds(d, "create_time"))
        .paidAt(Json.epochSeconds(d, "pay_time"))
        .shippedAt(Json.epochSeconds(d, "ship_time"))
        .completedAt(Json.epochSeconds(d, "complete_time"))
        .endedAt(Json.epochSeconds(d, "cancel_time"));
    if (d.has("sku_order_list")) {
      m.lines(Adapters.lines(d.get("sku_order_list"), "order_id", "out_sku_id", "product_name", "item_num", "origin_amount",
          "pay_amount", false));
    }
    return Adapters.accepted(m.build());
  }

  private static Instant firstTime(JsonNode d, String... fields) {
    for (String f : fields) {
      Instant t = Json.epochSeconds(d, f);
      if (t != null) {
        return t;
      }
    }
    return null;
  }
}
