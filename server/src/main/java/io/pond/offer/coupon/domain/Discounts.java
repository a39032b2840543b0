package io.pond.offer.coupon.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What coupons take off a cart. A coupon's discount is spread over its eligible lines in proportion to
 * what is left of each (largest remainder, so the fen add up), so a later coupon only takes off what
 * earlier ones left: the discount never exceeds the eligible goods and no line goes below zero. Rounding
 * is always down, in the brand's favour by less than a fen.
 */
public final class Discounts {

  private Discounts() {}

  /** One coupon's part: goods off (spread over lines as {@code perLineFen}), shipping off, a gift. */
  public record Applied(Coupon coupon, long goodsOffFen, long shippingOffFen, List<Long> perLineFen) {
    public String giftSku() {
      return coupon.template().kind() == CouponKind.GIFT ? coupon.template().rule().giftSku() : null;
    }
  }

  /** The outcome of applying a set of coupons. */
  public sealed interface Outcome permits Priced, Rejected {}

  /** Every coupon applies; {@code applied} is in the order they were applied. */
  public record Priced(List<Applied> applied, long goodsFen, long goodsOffFen, long shippingFen, long shippingOffFen) implements Outcome {
    public long payableFen() {
      return goodsFen - goodsOffFen + shippingFen - shippingOffFen;
    }
  }

  /** A coupon does not apply ({@code coupon} null when the set as a whole breaks a stacking rule). */
  public record Rejected(Coupon coupon, Refusal refusal) implements Outcome {}

  /** Applies all of {@code coupons} together, or says which one cannot be used and why. */
  public static Outcome apply(Cart cart, Collection<Coupon> coupons, Instant at) {
    Optional<Refusal> stacking = Stacking.problem(coupons);
    if (stacking.isPresent()) {
      return new Rejected(null, stacking.get());
    }
    List<Coupon> ordered = coupons.stream().sorted(Stacking.ORDER).toList();
    long[] remaining = cart.lines().stream().mapToLong(Cart.Line::totalFen).toArray();
    long shippingLeft = cart.shippingFen();
    List<Applied> applied = new ArrayList<>();
    long goodsOff = 0;
    long shippingOff = 0;
    for (Coupon coupon : ordered) {
      Optional<Refusal> refusal = usable(cart, coupon, at);
      if (refusal.isPresent()) {
        return new Rejected(coupon, refusal.get());
      }
      Rule rule = coupon.template().rule();
      long[] share = new long[remaining.length];
      long ship = 0;
      if (rule.kind() == CouponKind.FREE_SHIPPING) {
        ship = rule.capFen() > 0 ? Math.min(rule.capFen(), shippingLeft) : shippingLeft;
        shippingLeft -= ship;
      } else if (rule.kind() == CouponKind.SPECIAL_PRICE) {
        int line = specialPriceLine(cart, coupon.template().scope());
        share[line] = Math.min(remaining[line], Math.max(0, cart.lines().get(line).unitPriceFen() - rule.specialPriceFen()));
      } else if (rule.kind() != CouponKind.GIFT) {
        boolean[] eligible = eligibleLines(cart, coupon.template().scope());
        long left = 0;
        for (int i = 0; i < remaining.length; i++) {
          left += eligible[i] ? remaining[i] : 0;
        }
        long off =
            switch (rule.kind()) {
              case FIXED, THRESHOLD -> Math.min(rule.amountOffFen(), left);
              case PERCENTAGE -> {
                long p = Math.multiplyExact(left, 1000L - rule.payRatePermille()) / 1000;
                yield rule.capFen() > 0 ? Math.min(p, rule.capFen()) : p;
              }
              default -> 0;
            };
        share = spread(off, remaining, eligible);
      }
      long total = 0;
      List<Long> perLine = new ArrayList<>(share.length);
      for (int i = 0; i < share.length; i++) {
        remaining[i] -= share[i];
        total += share[i];
        perLine.add(share[i]);
      }
      goodsOff += total;
      shippingOff += ship;
      applied.add(new Applied(coupon, total, ship, List.copyOf(perLine)));
    }
    return new Priced(List.copyOf(applied), cart.goodsFen(), goodsOff, cart.shippingFen(), shippingOff);
  }

  /** Whether one coupon could be used on this cart at {@code at}, on its own. */
  public static Optional<Refusal> usable(Cart cart, Coupon coupon, Instant at) {
    CouponTemplate t = coupon.template();
    if (!coupon.usableAt(at)) {
      return Optional.of(
          new Refusal(at.isBefore(coupon.validFrom()) ? "not_yet_valid" : "expired",
              "coupon " + coupon.code() + " is usable from " + coupon.validFrom() + " until " + coupon.validUntil()));
    }
    if (!t.scope().admitsOrder(cart.channel(), cart.shop())) {
      return Optional.of(new Refusal("channel_or_shop", "coupon " + coupon.code() + " is not valid in " + cart.channel() + "/" + cart.shop()));
    }
    boolean[] eligible = eligibleLines(cart, t.scope());
    long eligibleFen = 0;
    boolean any = false;
    for (int i = 0; i < eligible.length; i++) {
      if (eligible[i]) {
        any = true;
        eligibleFen += cart.lines().get(i).totalFen();
      }
    }
    boolean restrictsItems = !t.scope().skus().isEmpty() || !t.scope().categories().isEmpty();
    if (!any && (t.kind().family() == CouponKind.Family.PRICE || restrictsItems)) {
      return Optional.of(new Refusal("no_eligible_items", "nothing in the cart is eligible for coupon " + coupon.code()));
    }
    if (eligibleFen < t.rule().thresholdFen()) {
      return Optional.of(
          new Refusal("below_threshold", "coupon " + coupon.code() + " needs " + t.rule().thresholdFen() + " fen of eligible goods, the cart has " + eligibleFen));
    }
    if (t.kind() == CouponKind.FREE_SHIPPING && cart.shippingFen() == 0) {
      return Optional.of(new Refusal("no_shipping", "the cart has no shipping to take off"));
    }
    return Optional.empty();
  }

  /**
   * The best combination of a person's coupons for a cart: the price coupons that take off most (one
   * coupon, or every applicable stackable one), the free-shipping coupon that takes off most, and every
   * applicable gift — one coupon per template, the one expiring first.
   */
  public static Priced best(Cart cart, Collection<Coupon> held, Instant at) {
    Map<Long, Coupon> perTemplate = new LinkedHashMap<>();
    held.stream()
        .filter(c -> usable(cart, c, at).isEmpty())
        .sorted(Comparator.comparing(Coupon::validUntil).thenComparingLong(Coupon::id))
        .forEach(c -> perTemplate.putIfAbsent(c.template().id(), c));
    List<Coupon> candidates = new ArrayList<>(perTemplate.values());

    List<List<Coupon>> priceOptions = new ArrayList<>();
    List<Coupon> stackable = new ArrayList<>();
    for (Coupon c : candidates) {
      if (c.template().kind().family() == CouponKind.Family.PRICE) {
        priceOptions.add(List.of(c));
        if (c.template().stackable()) {
          stackable.add(c);
        }
      }
    }
    if (stackable.size() > 1) {
      priceOptions.add(stackable);
    }
    List<Coupon> chosen = new ArrayList<>();
    long bestOff = 0;
    List<Coupon> bestPrice = List.of();
    for (List<Coupon> option : priceOptions) {
      if (apply(cart, option, at) instanceof Priced p
          && (p.goodsOffFen() > bestOff || p.goodsOffFen() == bestOff && p.goodsOffFen() > 0 && option.size() < bestPrice.size())) {
        bestOff = p.goodsOffFen();
        bestPrice = option;
      }
    }
    chosen.addAll(bestPrice);
    candidates.stream()
        .filter(c -> c.template().kind() == CouponKind.FREE_SHIPPING)
        .max(Comparator.comparingLong((Coupon c) -> shippingOff(cart, c, at)).thenComparing(Coupon::validUntil, Comparator.reverseOrder()))
        .ifPresent(chosen::add);
    candidates.stream().filter(c -> c.template().kind() == CouponKind.GIFT).forEach(chosen::add);
    return (Priced) apply(cart, chosen, at);
  }

  private static long shippingOff(Cart cart, Coupon c, Instant at) {
    return apply(cart, List.of(c), at) instanceof Priced p ? p.shippingOffFen() : 0;
  }

  private static boolean[] eligibleLines(Cart cart, Scope scope) {
    boolean[] eligible = new boolean[cart.lines().size()];
    for (int i = 0; i < eligible.length; i++) {
      eligible[i] = scope.covers(cart.lines().get(i));
    }
    return eligible;
  }

  /** The eligible line a special price applies to: the dearest unit, first such line on a tie. */
  private static int specialPriceLine(Cart cart, Scope scope) {
    int best = -1;
    for (int i = 0; i < cart.lines().size(); i++) {
      Cart.Line line = cart.lines().get(i);
      if (scope.covers(line) && (best < 0 || line.unitPriceFen() > cart.lines().get(best).unitPriceFen())) {
        best = i;
      }
    }
    return best;
  }

  /** Spreads {@code amount} (≤ Σ eligible remaining) over eligible lines in proportion to what is left. */
  static long[] spread(long amount, long[] remaining, boolean[] eligible) {
    long[] share = new long[remaining.length];
    long total = 0;
    for (int i = 0; i < remaining.length; i++) {
      total += eligible[i] ? remaining[i] : 0;
    }
    if (amount <= 0 || total == 0) {
      return share;
    }
    long given = 0;
    long[] fraction = new long[remaining.length];
    for (int i = 0; i < remaining.length; i++) {
      if (eligible[i] && remaining[i] > 0) {
        java.math.BigInteger[] qr =
            java.math.BigInteger.valueOf(amount).multiply(java.math.BigInteger.valueOf(remaining[i])).divideAndRemainder(java.math.BigInteger.valueOf(total));
        share[i] = qr[0].longValueExact();
        fraction[i] = qr[1].longValueExact();
        given += share[i];
      }
    }
    long left = amount - given;
    while (left > 0) {
      int pick = -1;
      for (int i = 0; i < remaining.length; i++) {
        if (fraction[i] > 0 && (pick < 0 || fraction[i] > fraction[pick])) {
          pick = i;
        }
      }
      share[pick]++;
      fraction[pick] = 0;
      left--;
    }
    return share;
  }
}
