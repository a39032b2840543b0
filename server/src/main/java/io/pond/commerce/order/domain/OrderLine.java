package io.pond.commerce.order.domain;

/**
 * One line of an order. {@code lineId} is the platform's sub-order id (Taobao {@code oid}, 抖店
 * {@code s_id}) or, where the platform has none, the line's position. {@code paidFen} is what the
 * buyer paid for the line after discounts; it defaults to quantity × unit price.
 */
public record OrderLine(
    String lineId, String sku, String title, String category, int quantity, long unitPriceFen, long paidFen) {

  public OrderLine {
    if (lineId == null || lineId.isBlank()) {
      throw new IllegalArgumentException("a line needs an id");
    }
    if (quantity < 0 || unitPriceFen < 0 || paidFen < 0) {
      throw new IllegalArgumentException("line " + lineId + " has a negative quantity or amount");
    }
  }

  public static OrderLine of(String lineId, String sku, String title, String category, int quantity, long unitPriceFen) {
    return new OrderLine(lineId, sku, title, category, quantity, unitPriceFen, quantity * unitPriceFen);
  }
}
