package io.pond.commerce.channel;

import io.pond.commerce.channel.ChannelShops.ChannelShop;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * JD orders in the polled format of {@code jingdong.pop.order.search}: a page
 * {@code {"orderInfoList": [...]}}, a list, or one order; amounts in yuan, times in China time. JD is
 * polled, not pushed: the brand's poller posts each page here signed with the shop's secret
 * ({@code X-Pond-Signature}).
 */
@Component
class JdAdapter implements ChannelAdapter {

  static final Map<String, OrderStatus> STATUSES =
      Map.of(
          "WAIT_SELLER_STOCK_OUT", OrderStatus.PAID,
          "WAIT_GOODS_RECEIVE_CONFIRM", OrderStatus.SHIPPED,
          "FINISHED_L", OrderStatus.COMPLETED,
          "TRADE_CANCELED", OrderStatus.CANCELLED,
          "LOCKED", OrderStatus.PAID,
          "PAUSE", OrderStatus.PAID,
          "POP_ORDER_PAUSE", OrderStatus.PAID);

  @Override
  public Channel channel() {
    return Channel.JD;
  }

  @Override
  public void authenticate(ChannelShop shop, HookRequest request) {
    Signatures.requireHmac(request, shop.secret());
  }

  @Override
  public List<Mapped> map(ChannelShop shop, String body) {
    JsonNode root;
    try {
      root = Json.parse(body);
    } catch (Json.BadPayload e) {
      return List.of(new Mapped.Rejected(e.getMessage(), body));
    }
    JsonNode list = root.has("orderInfoList") ? root.get("orderInfoList") : root;
    List<Mapped> out = new ArrayList<>();
    if (list.isArray()) {
      for (JsonNode order : list) {
        String payload = order.toString();
        out.add(Adapters.attempt(payload, () -> mapOne(shop, order, payload)));
      }
    } else {
      out.add(Adapters.attempt(body, () -> mapOne(shop, list, body)));
    }
    return out;
  }

  private Mapped mapOne(ChannelShop shop, JsonNode o, String payload) {
    String vender = Json.text(o, "venderId");
    if (vender != null && !vender.equals(shop.shopId())) {
      throw new Json.BadPayload("order of vender " + vender + " posted to shop " + shop.shopId());
    }
    Instant modified = Json.localTime(o, "modified");
    if (modified == null) {
      throw new Json.BadPayload("'modified' is missing");
    }
    String raw = Json.required(o, "orderState");
    OrderStatus status = Adapters.status(STATUSES, raw, "JD");
    OrderMessage.Builder m =
        OrderMessage.builder(new OrderKey(Channel.JD, shop.shopId(), Json.required(o, "orderId")), modified)
            .rawPayload(payload)
            .status(status, raw)
            .paidFen(Json.yuan(o, "orderPayment"))
            .shippingFen(Json.yuan(o, "freightPrice"))
            .discountFen(Json.yuan(o, "sellerDiscount"))
            .lines(Adapters.lines(o.get("itemInfoList"), "skuId", "outerSkuId", "skuName", "itemTotal", "jdPrice", null, true))
            .createdAt(Json.localTime(o, "orderStartTime"))
            .paidAt(Json.localTime(o, "paymentConfirmTime"))
            .completedAt(status == OrderStatus.COMPLETED ? Json.localTime(o, "orderEndTime") : null)
            .endedAt(status == OrderStatus.CANCELLED ? Json.localTime(o, "orderEndTime") : null);
    String openId = Json.text(o, "open_id_buyer");
    if (openId != null) {
      m.buyer(Identifier.scoped(Identifier.JD_OPEN_ID, shop.shopId(), openId));
    }
    return Adapters.accepted(m.build());
  }
}
