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
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Kuaishou shop messages ({@code kwaishop_order_*}): {@code {msgId, event, info (JSON or JSON string),
 * createTime}}; {@code info} has {@code oid}, {@code sellerId}, {@code status}, {@code updateTime} (ms),
 * amounts in fen. Kuaishou encrypts its pushes with the app secret; the brand's receiver decrypts and
 * forwards them signed with the shop's secret ({@code X-Pond-Signature}).
 */
@Component
class KuaishouAdapter implements ChannelAdapter {

  /** Status codes (semantics unverified): 10 awaiting payment, 30 paid, 40 shipped, 50 signed, 70 success, 80 failed. */
  static final Map<String, OrderStatus> STATUSES =
      Map.of(
          "10", OrderStatus.CREATED,
          "30", OrderStatus.PAID,
          "40", OrderStatus.SHIPPED,
          "50", OrderStatus.DELIVERED,
          "70", OrderStatus.COMPLETED,
          "80", OrderStatus.CANCELLED);

  @Override
  public Channel channel() {
    return Channel.KUAISHOU;
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
    JsonNode push = Json.parse(body);
    String event = Json.required(push, "event");
    if (!event.startsWith("kwaishop_order_")) {
      throw new Json.BadPayload("unknown Kuaishou event '" + event + "'");
    }
    JsonNode info = Json.nested(push, "info");
    String seller = Json.text(info, "sellerId");
    if (seller != null && !seller.equals(shop.shopId())) {
      throw new Json.BadPayload("message for seller " + seller + " pushed to shop " + shop.shopId());
    }
    Instant modified = Json.epochMillis(info, "updateTime");
    if (modified == null) {
      modified = Json.epochMillis(push, "createTime");
    }
    if (modified == null) {
      throw new Json.BadPayload("'updateTime' is missing");
    }
    String raw = Json.text(info, "status");
    OrderStatus status = Adapters.status(STATUSES, raw, "Kuaishou");
    OrderMessage.Builder m =
        OrderMessage.builder(new OrderKey(Channel.KUAISHOU, shop.shopId(), Json.required(info, "oid")), modified)
            .rawPayload(body)
            .status(status, raw)
            .paidFen(Json.fen(info, "totalFee"))
            .discountFen(Json.fen(info, "discountFee"))
            .shippingFen(Json.fen(info, "expressFee"))
            .lines(Adapters.lines(info.get("itemList"), "itemId", "skuNick", "itemTitle", "num", "price", null, false))
            .createdAt(Json.epochMillis(info, "createTime"))
            .paidAt(Json.epochMillis(info, "payTime"))
            .shippedAt(Json.epochMillis(info, "sendTime"))
            .completedAt(status == OrderStatus.COMPLETED ? modified : null)
            .endedAt(status == OrderStatus.CANCELLED ? modified : null);
    String buyer = Json.text(info, "buyerOpenId");
    if (buyer != null) {
      m.buyer(Identifier.scoped(Identifier.KUAISHOU_OPEN_ID, shop.appKey() == null ? "" : shop.appKey(), buyer));
    }
    return Adapters.accepted(m.build());
  }
}
