package io.pond.offer.coupon.domain;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which coupons combine on one order, and in which order they apply.
 *
 * <ul>
 *   <li>At most one coupon of a template per order.
 *   <li>Price coupons (fixed, threshold, percentage, special price): one, or several when every one of
 *       them is stackable.
 *   <li>At most one free-shipping coupon; it combines with anything.
 *   <li>Gift coupons combine with anything.
 * </ul>
 *
 * Price coupons apply in a fixed order, whatever order they were given in: special price, then
 * percentage, then threshold, then fixed (ties by template code, then coupon id). Thresholds are judged
 * on the eligible goods before any discount, so the result depends only on the set of coupons.
 */
public final class Stacking {

  private Stacking() {}

  /** The order coupons apply in. */
  public static final Comparator<Coupon> ORDER =
      Comparator.<Coupon>comparingInt(c -> rank(c.template().kind()))
          .thenComparing(c -> c.template().code())
          .thenComparingLong(Coupon::id);

  private static int rank(CouponKind kind) {
    return switch (kind) {
      case SPECIAL_PRICE -> 0;
      case PERCENTAGE -> 1;
      case THRESHOLD -> 2;
      case FIXED -> 3;
      case FREE_SHIPPING -> 4;
      case GIFT -> 5;
    };
  }

  /** Why these coupons cannot be used together, or empty when they can. */
  public static Optional<Refusal> problem(Collection<Coupon> coupons) {
    Set<Long> templates = new HashSet<>();
    int price = 0;
    int shipping = 0;
    boolean allStackable = true;
    for (Coupon c : coupons) {
      if (!templates.add(c.template().id())) {
        return Optional.of(new Refusal("one_per_template", "only one coupon of " + c.template().code() + " per order"));
      }
      switch (c.template().kind().family()) {
        case PRICE -> {
          price++;
          allStackable &= c.template().stackable();
        }
        case SHIPPING -> shipping++;
        case GIFT -> {}
      }
    }
    if (shipping > 1) {
      return Optional.of(new Refusal("one_free_shipping", "only one free-shipping coupon per order"));
    }
    if (price > 1 && !allStackable) {
      return Optional.of(new Refusal("not_stackable", "price coupons combine only when every one of them is stackable"));
    }
    return Optional.empty();
  }
}
