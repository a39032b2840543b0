package io.pond.loyalty.program.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** All points rounding in one place: points are whole, always rounded down (never over-award). */
public final class PointsMath {

  private static final BigDecimal FEN_PER_YUAN = BigDecimal.valueOf(100);

  private PointsMath() {}

  /** Points (or growth) for {@code paidFen} at {@code perYuan} per yuan, rounded down. */
  public static long perYuan(long paidFen, BigDecimal perYuan) {
    return BigDecimal.valueOf(paidFen).multiply(perYuan).divide(FEN_PER_YUAN, 0, RoundingMode.FLOOR).longValueExact();
  }

  public static long times(long points, BigDecimal multiplier) {
    return BigDecimal.valueOf(points).multiply(multiplier).setScale(0, RoundingMode.FLOOR).longValueExact();
  }

  /** {@code total × part / whole}, rounded down; the share of points that a part of an amount carries. */
  public static long share(long total, long part, long whole) {
    if (whole <= 0) {
      return 0;
    }
    long bounded = Math.max(0, Math.min(part, whole));
    return BigDecimal.valueOf(total)
        .multiply(BigDecimal.valueOf(bounded))
        .divide(BigDecimal.valueOf(whole), 0, RoundingMode.FLOOR)
        .longValueExact();
  }
}
