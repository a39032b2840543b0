package io.pond.commerce.importing;

import io.pond.commerce.order.domain.OrderStatus;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The status words of the platforms' exports (Chinese), their API codes, and Pond's own names. */
final class ExportStatuses {

  private static final Map<String, OrderStatus> WORDS = new HashMap<>();

  static {
    for (OrderStatus s : OrderStatus.values()) {
      WORDS.put(s.name(), s);
    }
    put(OrderStatus.CREATED, "等待买家付款", "待付款", "待支付", "未付款", "WAIT_BUYER_PAY", "TRADE_NO_CREATE_PAY");
    put(OrderStatus.PAID, "买家已付款", "等待卖家发货", "待发货", "已付款", "备货中", "已支付", "WAIT_SELLER_SEND_GOODS",
        "TRADE_PAID", "WAIT_SELLER_STOCK_OUT");
    put(OrderStatus.PARTIALLY_SHIPPED, "部分发货", "卖家部分发货", "SELLER_CONSIGNED_PART");
    put(OrderStatus.SHIPPED, "卖家已发货", "已发货", "等待买家确认收货", "待收货", "WAIT_BUYER_CONFIRM_GOODS",
        "WAIT_GOODS_RECEIVE_CONFIRM");
    put(OrderStatus.DELIVERED, "已签收", "买家已签收", "已收货", "TRADE_BUYER_SIGNED");
    put(OrderStatus.COMPLETED, "交易成功", "已完成", "交易完成", "TRADE_FINISHED", "TRADE_SUCCESS", "FINISHED_L");
    put(OrderStatus.CANCELLED, "已取消", "交易取消", "订单取消", "TRADE_CANCELED", "TRADE_CLOSED_BY_TAOBAO");
    put(OrderStatus.CLOSED, "交易关闭", "已关闭", "TRADE_CLOSED", "TRADE_CLOSE");
  }

  private ExportStatuses() {}

  private static void put(OrderStatus status, String... words) {
    for (String w : words) {
      WORDS.put(w.toUpperCase(Locale.ROOT), status);
    }
  }

  static Optional<OrderStatus> of(String word) {
    return word == null ? Optional.empty() : Optional.ofNullable(WORDS.get(word.trim().toUpperCase(Locale.ROOT)));
  }
}
