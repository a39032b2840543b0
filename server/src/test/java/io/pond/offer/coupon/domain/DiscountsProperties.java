package io.pond.offer.coupon.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Invariants of discount computation and stacking over random carts and coupon sets. */
class DiscountsProperties {

  @Test
  void a_discount_is_never_negative_and_never_exceeds_the_eligible_goods_or_the_shipping() {
    qt().withExamples(2_000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      Cart cart = Fixtures.randomCart(r);
      List<Coupon> coupons = Fixtures.randomStackableSet(r);
      if (!(Discounts.apply(cart, coupons, Fixtures.NOW) instanceof Discounts.Priced p)) {
        return;
      }
      assertThat(p.goodsOffFen()).isBetween(0L, cart.goodsFen());
      assertThat(p.shippingOffFen()).isBetween(0L, cart.shippingFen());
      assertThat(p.payableFen()).isGreaterThanOrEqualTo(0);
      long[] left = cart.lines().stream().mapToLong(Cart.Line::totalFen).toArray();
      for (Discounts.Applied a : p.applied()) {
        assertThat(a.goodsOffFen()).isGreaterThanOrEqualTo(0);
        long eligible = 0;
        for (int i = 0; i < left.length; i++) {
          long share = a.perLineFen().get(i);
          assertThat(share).isGreaterThanOrEqualTo(0);
          if (share > 0) {
            assertThat(a.coupon().template().scope().covers(cart.lines().get(i))).as("only eligible lines are discounted").isTrue();
          }
          if (a.coupon().template().scope().covers(cart.lines().get(i))) {
            eligible += cart.lines().get(i).totalFen();
          }
          left[i] -= share;
          assertThat(left[i]).as("line %d never goes below zero", i).isGreaterThanOrEqualTo(0);
        }
        assertThat(a.goodsOffFen()).isLessThanOrEqualTo(eligible);
        Rule rule = a.coupon().template().rule();
        switch (rule.kind()) {
          case FIXED, THRESHOLD -> assertThat(a.goodsOffFen()).isLessThanOrEqualTo(rule.amountOffFen());
          case PERCENTAGE -> {
            if (rule.capFen() > 0) {
              assertThat(a.goodsOffFen()).isLessThanOrEqualTo(rule.capFen());
            }
            assertThat(a.goodsOffFen() * 1000).isLessThanOrEqualTo(eligible * (1000 - rule.payRatePermille()));
          }
          case FREE_SHIPPING, GIFT -> assertThat(a.goodsOffFen()).isZero();
          case SPECIAL_PRICE -> {}
        }
      }
    });
  }

  @Test
  void stackable_coupons_give_the_same_result_whatever_order_they_are_given_in() {
    qt().withExamples(1_000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      Cart cart = Fixtures.randomCart(r);
      List<Coupon> coupons = Fixtures.randomStackableSet(r);
      List<Coupon> shuffled = new ArrayList<>(coupons);
      Collections.shuffle(shuffled, r);
      Discounts.Outcome a = Discounts.apply(cart, coupons, Fixtures.NOW);
      Discounts.Outcome b = Discounts.apply(cart, shuffled, Fixtures.NOW);
      assertThat(b).isEqualTo(a);
    });
  }

  @Test
  void thresholds_are_judged_on_goods_before_discount_and_a_coupon_below_its_threshold_never_applies() {
    qt().withExamples(1_000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      Cart cart = Fixtures.randomCart(r);
      for (Coupon c : Fixtures.randomStackableSet(r)) {
        long eligible = cart.lines().stream().filter(c.template().scope()::covers).mapToLong(Cart.Line::totalFen).sum();
        boolean usable = Discounts.usable(cart, c, Fixtures.NOW).isEmpty();
        if (eligible < c.template().rule().thresholdFen()) {
          assertThat(usable).isFalse();
        }
      }
    });
  }

  @Test
  void the_best_combination_takes_off_at_least_as_much_as_any_single_coupon() {
    qt().withExamples(1_000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      Cart cart = Fixtures.randomCart(r);
      List<Coupon> held = new ArrayList<>();
      int n = 1 + r.nextInt(6);
      for (int i = 1; i <= n; i++) {
        Rule rule = Fixtures.randomRule(r);
        held.add(Fixtures.coupon(i, Fixtures.template(i, rule, Fixtures.randomScope(r, rule), r.nextBoolean())));
      }
      Discounts.Priced best = Discounts.best(cart, held, Fixtures.NOW);
      assertThat(Stacking.problem(best.applied().stream().map(Discounts.Applied::coupon).toList())).isEmpty();
      for (Coupon c : held) {
        if (Discounts.apply(cart, List.of(c), Fixtures.NOW) instanceof Discounts.Priced single) {
          assertThat(best.goodsOffFen()).isGreaterThanOrEqualTo(single.goodsOffFen());
          assertThat(best.shippingOffFen()).isGreaterThanOrEqualTo(single.shippingOffFen());
        }
      }
    });
  }
}
