package io.pond.offer.coupon.domain;

import java.util.List;

/** What is being bought, before discounts: lines at their unit price, and shipping. */
public record Cart(String channel, String shop, List<Line> lines, long shippingFen) {

  public Cart {
    lines = List.copyOf(lines);
    if (shippingFen < 0) {
      throw new IllegalArgumentException("shipping must not be negative");
    }
  }

  public record Line(String sku, String category, int quantity, long unitPriceFen) {
    public Line {
      if (quantity < 1 || unitPriceFen < 0) {
        throw new IllegalArgumentException("a line has at least one unit and a price that is not negative");
      }
    }

    public long totalFen() {
      return Math.multiplyExact(unitPriceFen, (long) quantity);
    }
  }

  public long goodsFen() {
    return lines.stream().mapToLong(Line::totalFen).sum();
  }
}
