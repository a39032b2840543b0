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
    long fast = plainYuan(yuan);
    if (fast >= 0) {
      return fast;
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

  /** PERF: {@code 123}, {@code 123.4}, {@code 123.45} without BigDecimal; -1 for anything else. */
  private static long plainYuan(String s) {
    int dot = s.indexOf('.');
    int end = dot < 0 ? s.length() : dot;
    if (end == 0 || end > 15 || (dot >= 0 && (s.length() - dot - 1 > 2 || s.length() - dot - 1 == 0))) {
      return -1;
    }
    long whole = 0;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      whole = whole * 10 + (c - '0');
    }
    long cents = 0;
    if (dot >= 0) {
      for (int i = dot + 1; i < dot + 3; i++) {
        char c = i < s.length() ? s.charAt(i) : '0';
        if (c < '0' || c > '9') {
          return -1;
        }
        cents = cents * 10 + (c - '0');
      }
    }
    return whole * 100 + cents;
  }
}
