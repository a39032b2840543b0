package io.pond.offer.coupon.domain;

import java.util.Optional;

/**
 * What a coupon takes off, in fen. Which fields matter depends on the kind:
 *
 * <ul>
 *   <li>{@code FIXED}, {@code THRESHOLD}: {@code amountOffFen}
 *   <li>{@code PERCENTAGE}: {@code payRatePermille} (850 = 8.5折 = pay 85%), {@code capFen} (0 = no cap)
 *   <li>{@code SPECIAL_PRICE}: {@code specialPriceFen} for one unit of an eligible product
 *   <li>{@code FREE_SHIPPING}: {@code capFen} (0 = all shipping)
 *   <li>{@code GIFT}: {@code giftSku}, {@code giftValueFen} (what the gift costs the brand)
 * </ul>
 *
 * {@code thresholdFen} is the minimum of eligible goods (before any discount) for every kind;
 * {@code THRESHOLD} requires it to be positive.
 */
public record Rule(
    CouponKind kind,
    long amountOffFen,
    long thresholdFen,
    int payRatePermille,
    long capFen,
    long specialPriceFen,
    String giftSku,
    long giftValueFen) {

  public static Rule fixed(long amountOffFen) {
    return new Rule(CouponKind.FIXED, amountOffFen, 0, 0, 0, 0, null, 0);
  }

  public static Rule threshold(long thresholdFen, long amountOffFen) {
    return new Rule(CouponKind.THRESHOLD, amountOffFen, thresholdFen, 0, 0, 0, null, 0);
  }

  public static Rule percentage(int payRatePermille, long capFen) {
    return new Rule(CouponKind.PERCENTAGE, 0, 0, payRatePermille, capFen, 0, null, 0);
  }

  public static Rule specialPrice(long specialPriceFen) {
    return new Rule(CouponKind.SPECIAL_PRICE, 0, 0, 0, 0, specialPriceFen, null, 0);
  }

  public static Rule freeShipping(long capFen) {
    return new Rule(CouponKind.FREE_SHIPPING, 0, 0, 0, capFen, 0, null, 0);
  }

  public static Rule gift(String sku, long valueFen) {
    return new Rule(CouponKind.GIFT, 0, 0, 0, 0, 0, sku, valueFen);
  }

  public Rule withThreshold(long fen) {
    return new Rule(kind, amountOffFen, fen, payRatePermille, capFen, specialPriceFen, giftSku, giftValueFen);
  }

  /** The first problem with this rule as {@code (field, message)}, or empty when it is sound. */
  public Optional<Refusal> problem() {
    if (kind == null) {
      return Optional.of(new Refusal("kind", "give a kind: FIXED, THRESHOLD, PERCENTAGE, SPECIAL_PRICE, FREE_SHIPPING or GIFT"));
    }
    if (thresholdFen < 0) {
      return Optional.of(new Refusal("thresholdFen", "must not be negative"));
    }
    if (capFen < 0) {
      return Optional.of(new Refusal("capFen", "must not be negative"));
    }
    return switch (kind) {
      case FIXED -> amountOffFen > 0 ? Optional.empty() : Optional.of(new Refusal("amountOffFen", "must be positive"));
      case THRESHOLD -> {
        if (amountOffFen <= 0) {
          yield Optional.of(new Refusal("amountOffFen", "must be positive"));
        }
        if (thresholdFen <= 0) {
          yield Optional.of(new Refusal("thresholdFen", "a threshold coupon needs a positive threshold"));
        }
        yield amountOffFen > thresholdFen
            ? Optional.of(new Refusal("amountOffFen", "must not exceed the threshold (" + thresholdFen + " fen)"))
            : Optional.empty();
      }
      case PERCENTAGE ->
          payRatePermille >= 1 && payRatePermille <= 999
              ? Optional.empty()
              : Optional.of(new Refusal("payRatePermille", "must be between 1 and 999 (850 = pay 85%)"));
      case SPECIAL_PRICE ->
          specialPriceFen >= 0 ? Optional.empty() : Optional.of(new Refusal("specialPriceFen", "must not be negative"));
      case FREE_SHIPPING -> Optional.empty();
      case GIFT -> {
        if (giftSku == null || giftSku.isBlank()) {
          yield Optional.of(new Refusal("giftSku", "a gift coupon names the gift's SKU"));
        }
        yield giftValueFen >= 0 ? Optional.empty() : Optional.of(new Refusal("giftValueFen", "must not be negative"));
      }
    };
  }
}
