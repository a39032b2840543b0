package io.pond.offer.coupon.domain;

import static io.pond.offer.coupon.domain.Fixtures.NOW;
import static io.pond.offer.coupon.domain.Fixtures.cart;
import static io.pond.offer.coupon.domain.Fixtures.coupon;
import static io.pond.offer.coupon.domain.Fixtures.line;
import static io.pond.offer.coupon.domain.Fixtures.template;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscountsTest {

  private static final Scope TEA = new Scope(Set.of(), Set.of(), Set.of("tea"), Set.of());

  @Test
  void a_threshold_coupon_takes_its_amount_off_once_the_eligible_goods_reach_the_threshold() {
    Coupon c = coupon(1, template(1, Rule.threshold(20_000, 3_000), Scope.EVERYWHERE, false));
    assertThat(Discounts.apply(cart(0, line("tea", 1, 19_999)), List.of(c), NOW))
        .isInstanceOfSatisfying(Discounts.Rejected.class, r -> assertThat(r.refusal().reason()).isEqualTo("below_threshold"));
    Discounts.Priced p = (Discounts.Priced) Discounts.apply(cart(0, line("tea", 2, 10_000)), List.of(c), NOW);
    assertThat(p.goodsOffFen()).isEqualTo(3_000);
  }

  @Test
  void a_percentage_coupon_rounds_down_and_stops_at_its_cap() {
    Coupon c = coupon(1, template(1, Rule.percentage(850, 1_000), Scope.EVERYWHERE, false));
    assertThat(((Discounts.Priced) Discounts.apply(cart(0, line("tea", 1, 999)), List.of(c), NOW)).goodsOffFen()).isEqualTo(149);
    assertThat(((Discounts.Priced) Discounts.apply(cart(0, line("tea", 1, 100_000)), List.of(c), NOW)).goodsOffFen()).isEqualTo(1_000);
  }

  @Test
  void a_scoped_coupon_discounts_only_its_products_and_is_refused_without_them() {
    Coupon c = coupon(1, template(1, Rule.fixed(5_000), TEA, false));
    Discounts.Priced p = (Discounts.Priced) Discounts.apply(cart(0, line("tea", 1, 3_000), line("cup", 1, 9_000)), List.of(c), NOW);
    assertThat(p.goodsOffFen()).isEqualTo(3_000);
    assertThat(p.applied().get(0).perLineFen()).containsExactly(3_000L, 0L);
    assertThat(Discounts.apply(cart(0, line("cup", 1, 9_000)), List.of(c), NOW))
        .isInstanceOfSatisfying(Discounts.Rejected.class, r -> assertThat(r.refusal().reason()).isEqualTo("no_eligible_items"));
  }

  @Test
  void a_special_price_sells_one_unit_of_the_product_at_its_price() {
    Coupon c = coupon(1, template(1, Rule.specialPrice(100), TEA, false));
    Discounts.Priced p = (Discounts.Priced) Discounts.apply(cart(0, line("tea", 3, 5_900)), List.of(c), NOW);
    assertThat(p.goodsOffFen()).isEqualTo(5_800);
  }

  @Test
  void two_price_coupons_combine_only_when_both_are_stackable_while_shipping_and_gifts_combine_with_anything() {
    Cart cart = cart(800, line("tea", 1, 30_000));
    Coupon fixed = coupon(1, template(1, Rule.fixed(1_000), Scope.EVERYWHERE, false));
    Coupon percent = coupon(2, template(2, Rule.percentage(900, 0), Scope.EVERYWHERE, true));
    Coupon shipping = coupon(3, template(3, Rule.freeShipping(0), Scope.EVERYWHERE, false));
    Coupon gift = coupon(4, template(4, Rule.gift("sample", 500), Scope.EVERYWHERE, false));
    assertThat(Discounts.apply(cart, List.of(fixed, percent), NOW))
        .isInstanceOfSatisfying(Discounts.Rejected.class, r -> assertThat(r.refusal().reason()).isEqualTo("not_stackable"));
    Discounts.Priced p = (Discounts.Priced) Discounts.apply(cart, List.of(percent, shipping, gift), NOW);
    assertThat(p.goodsOffFen()).isEqualTo(3_000);
    assertThat(p.shippingOffFen()).isEqualTo(800);
    assertThat(p.payableFen()).isEqualTo(27_000);

    Coupon fixedStackable = coupon(5, template(5, Rule.fixed(1_000), Scope.EVERYWHERE, true));
    Discounts.Priced both = (Discounts.Priced) Discounts.apply(cart, List.of(fixedStackable, percent), NOW);
    // percentage first (30000 → 3000 off), then the fixed 1000 off what is left
    assertThat(both.goodsOffFen()).isEqualTo(4_000);
    assertThat(both.applied().get(0).coupon()).isEqualTo(percent);
  }

  @Test
  void a_relative_window_starts_at_issue_and_ends_at_the_start_of_a_local_day() {
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    Instant issued = Instant.parse("2026-06-01T20:00:00Z"); // 04:00 on 2 June in Shanghai
    Validity.Window w = Validity.relative(7, 0).windowFor(issued, shanghai);
    assertThat(w.from()).isEqualTo(issued);
    assertThat(w.until()).isEqualTo(Instant.parse("2026-06-08T16:00:00Z"));
    Validity.Window later = Validity.relative(3, 1).windowFor(issued, shanghai);
    assertThat(later.from()).isEqualTo(Instant.parse("2026-06-02T16:00:00Z"));
  }
}
