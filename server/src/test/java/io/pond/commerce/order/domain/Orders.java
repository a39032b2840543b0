package io.pond.commerce.order.domain;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/** Test fixtures: messages about one Taobao order at given minutes past a fixed time. */
final class Orders {
  static final OrderKey KEY = new OrderKey(Channel.TAOBAO, "shop-1", "T1001");
  static final Instant T0 = Instant.parse("2024-06-01T02:00:00Z");

  private Orders() {}

  static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }

  static OrderMessage.Builder message(int minute) {
    return OrderMessage.builder(KEY, at(minute)).rawPayload("{\"minute\":" + minute + "}");
  }

  static OrderMessage status(int minute, OrderStatus status) {
    return message(minute).status(status, "RAW_" + status).build();
  }

  static OrderMessage paid(int minute, long fen) {
    return message(minute).status(OrderStatus.PAID, "WAIT_SELLER_SEND_GOODS").paidFen(fen).paidAt(at(minute)).build();
  }

  static OrderMessage refund(int minute, String id, RefundState state, long fen) {
    return message(minute).refund(new Refund(id, "L1", state, fen, at(minute))).build();
  }

  static OrderMessage withLines(int minute, long unitFen) {
    return message(minute)
        .lines(List.of(OrderLine.of("L1", "SKU-1", "洁面乳", "美妆", 2, unitFen)))
        .buyer(Identifier.scoped(Identifier.TAOBAO_OPEN_UID, "appkey-1", "AAHbuyer"))
        .build();
  }

  static CanonicalOrder fold(List<OrderMessage> messages) {
    CanonicalOrder order = null;
    for (OrderMessage m : messages) {
      order = OrderMergePolicy.apply(order, m).order();
    }
    return order;
  }
}
