package io.pond.offer.coupon.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Carts and coupons for the domain tests. */
final class Fixtures {

  static final Instant NOW = Instant.parse("2026-06-01T04:00:00Z");
  private static final String[] SKUS = {"tea", "cup", "pot", "tray"};
  private static final String[] CATEGORIES = {"drink", "ware"};

  private Fixtures() {}

  static CouponTemplate template(long id, Rule rule, Scope scope, boolean stackable) {
    return new CouponTemplate(
        id, "T" + id, "template " + id, rule, scope, Validity.relative(30, 0), 1000, null, false, Set.of(), false, stackable,
        CouponTemplate.RefundPolicy.FULL_REFUND, true);
  }

  static Coupon coupon(long id, CouponTemplate template) {
    return new Coupon(id, "C" + id, template, NOW.minusSeconds(3600), NOW.plusSeconds(86400));
  }

  static Cart.Line line(String sku, int quantity, long unitPriceFen) {
    return new Cart.Line(sku, sku.equals("tea") ? "drink" : "ware", quantity, unitPriceFen);
  }

  static Cart cart(long shippingFen, Cart.Line... lines) {
    return new Cart("tmall", "flagship", List.of(lines), shippingFen);
  }

  static Cart randomCart(Random r) {
    List<Cart.Line> lines = new ArrayList<>();
    int n = 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      String sku = SKUS[r.nextInt(SKUS.length)];
      lines.add(new Cart.Line(sku, CATEGORIES[r.nextInt(CATEGORIES.length)], 1 + r.nextInt(3), r.nextInt(4) == 0 ? 0 : r.nextInt(50_000)));
    }
    return new Cart("tmall", "flagship", lines, r.nextInt(3) == 0 ? 0 : r.nextInt(2_000));
  }

  static Rule randomRule(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Rule.fixed(1 + r.nextInt(20_000));
      case 1 -> {
        long threshold = 1 + r.nextInt(60_000);
        yield Rule.threshold(threshold, 1 + r.nextInt((int) Math.min(threshold, 20_000)));
      }
      case 2 -> Rule.percentage(1 + r.nextInt(999), r.nextBoolean() ? 0 : 1 + r.nextInt(10_000));
      case 3 -> Rule.specialPrice(r.nextInt(1_000));
      case 4 -> Rule.freeShipping(r.nextBoolean() ? 0 : 1 + r.nextInt(1_000));
      default -> Rule.gift("sample", r.nextInt(3_000));
    };
  }

  static Scope randomScope(Random r, Rule rule) {
    Set<String> skus = r.nextInt(3) == 0 || rule.kind() == CouponKind.SPECIAL_PRICE ? Set.of(SKUS[r.nextInt(SKUS.length)]) : Set.of();
    Set<String> categories = r.nextInt(4) == 0 ? Set.of(CATEGORIES[r.nextInt(CATEGORIES.length)]) : Set.of();
    return new Scope(Set.of(), Set.of(), skus, categories);
  }

  /** Coupons of distinct templates, all stackable, at most one free-shipping: a set that may combine. */
  static List<Coupon> randomStackableSet(Random r) {
    List<Coupon> out = new ArrayList<>();
    int n = 1 + r.nextInt(5);
    boolean shipping = false;
    for (int i = 1; i <= n; i++) {
      Rule rule = randomRule(r);
      if (rule.kind() == CouponKind.FREE_SHIPPING) {
        if (shipping) {
          continue;
        }
        shipping = true;
      }
      out.add(coupon(i, template(i, rule, randomScope(r, rule), true)));
    }
    return out;
  }
}
