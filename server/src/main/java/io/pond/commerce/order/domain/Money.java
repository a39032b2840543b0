package io.pond.commerce.order.domain;

import java.math.BigDecimal;

/** The one place where platform money (yuan strings like {@code "120.00"}) becomes fen. */
public final class Money {
  private Money() {}

  /**
   * Parses yuan with at most two decimals ({@code "120"}, {@code "120.5"}, {@code "¥1,299.00"}) into
   * fen. Refuses negative amounts and fractions of a fen rather than rounding them away.
   */
  public static long yuanToFen(String yuan) {
    if (yuan == null || yuan.isBlank()) {
      throw new IllegalArgumentException("amount is empty");
    }
    String cleaned = yuan.trim().replace("¥", "").replace("￥", "").replace(",", "").replace("元", "").trim();
    BigDecimal value;
    try {
      value = new BigDecimal(cleaned);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + yuan + "' is not an amount in yuan");
    }
    if (value.signum() < 0) {
      throw new IllegalArgumentException("amount '" + yuan + "' is negative");
    }
    try {
      return value.movePointRight(2).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("amount '" + yuan + "' has fractions of a fen or is too large");
    }
  }
}
