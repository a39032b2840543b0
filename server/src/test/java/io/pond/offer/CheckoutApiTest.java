package io.pond.offer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.commerce.OrderCancelled;
import io.pond.commerce.OrderRefunded;
import io.pond.offer.checkout.Checkout;
import io.pond.offer.coupon.IssueOutcome;
import io.pond.offer.coupon.TemplateSpec;
import io.pond.support.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The checkout API: validate, lock (idempotent, exclusive), redeem, release, cancel and refund. */
class CheckoutApiTest extends OfferTestSupport {

  @Autowired Checkout checkout;

  private String claim(String template, int person) {
    return ((IssueOutcome.Issued) issuing.grant(template, person, "test", null)).coupon().code();
  }

  private static String cart(long teaFen, long shippingFen) {
    return "{\"channel\":\"tmall\",\"shop\":\"flagship\",\"lines\":[{\"sku\":\"tea\",\"category\":\"drink\",\"quantity\":1,\"unitPriceFen\":" + teaFen
        + "}],\"shippingFen\":" + shippingFen + "}";
  }

  private Http.Response lock(String key, int person, String cart, List<String> codes, String orderId) {
    return http.post("/api/v1/offers/checkout/locks", ADMIN,
        "{\"idempotencyKey\":\"" + key + "\",\"personId\":" + person + ",\"cart\":" + cart + ",\"codes\":" + json(codes)
            + (orderId == null ? "" : ",\"orderId\":\"" + orderId + "\"") + "}");
  }

  @Test
  void validation_says_which_coupons_apply_what_each_gives_and_the_best_combination() {
    int person = newPerson();
    String threshold = template(spec(uniqueCode("mj"), "threshold", 3_000L, 20_000L, null, 100L));
    String percent = template(spec(uniqueCode("pct"), "percentage", null, null, 900, 100L));
    String shipping = template(spec(uniqueCode("ship"), "free_shipping", null, null, null, 100L));
    String t = claim(threshold, person);
    String p = claim(percent, person);
    String s = claim(shipping, person);
    Http.Response r = http.post("/api/v1/offers/checkout/validate", ADMIN, "{\"personId\":" + person + ",\"cart\":" + cart(25_000, 800) + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("coupons").size()).isEqualTo(3);
    for (JsonNode c : body.get("coupons")) {
      assertThat(c.get("applicable").asBoolean()).isTrue();
    }
    // 满200减30 gives 3000, 9折 gives 2500: neither is stackable, so the better one wins, with free shipping
    assertThat(body.get("best").get("codes").valueStream().map(JsonNode::asString).toList()).containsExactlyInAnyOrder(t, s);
    assertThat(body.get("best").get("payableFen").asLong()).isEqualTo(22_000);

    Http.Response small = http.post("/api/v1/offers/checkout/validate", ADMIN, "{\"personId\":" + person + ",\"cart\":" + cart(10_000, 0) + ",\"codes\":" + json(List.of(t, p)) + "}");
    JsonNode first = small.json().get("coupons").get(0);
    assertThat(first.get("applicable").asBoolean()).isFalse();
    assertThat(first.get("reason").asString()).isEqualTo("below_threshold");
  }

  @Test
  void a_lock_is_idempotent_and_a_key_reused_for_another_request_is_refused() {
    int person = newPerson();
    String code = claim(fixed(1_000, 10, null, false), person);
    Http.Response first = lock("lock-" + code, person, cart(5_000, 0), List.of(code), null);
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.json().get("goodsOffFen").asLong()).isEqualTo(1_000);
    Http.Response again = lock("lock-" + code, person, cart(5_000, 0), List.of(code), null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
    assertThat(again.json().get("replayed").asBoolean()).isTrue();
    Http.Response other = lock("lock-" + code, person, cart(6_000, 0), List.of(code), null);
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.code()).isEqualTo("idempotency_key_reused");
    assertThat(other.json().get("field").asString()).isEqualTo("idempotencyKey");
  }

  @Test
  void a_coupon_that_does_not_apply_is_named_by_its_position() {
    int person = newPerson();
    String ok = claim(fixed(1_000, 10, null, false), person);
    String big = claim(template(spec(uniqueCode("mj"), "threshold", 3_000L, 20_000L, null, 10L)), person);
    Http.Response r = lock(uniqueCode("k"), person, cart(5_000, 0), List.of(ok, big), null);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isIn("coupon_not_applicable");
  }

  @Test
  void two_checkouts_racing_for_one_coupon_never_both_get_it() throws Exception {
    int person = newPerson();
    String code = claim(fixed(1_000, 10, null, false), person);
    List<Future<Http.Response>> responses = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 8; i++) {
        String key = "race-" + i + "-" + code;
        responses.add(pool.submit(() -> lock(key, person, cart(5_000, 0), List.of(code), null)));
      }
    }
    int won = 0;
    for (Future<Http.Response> f : responses) {
      Http.Response r = f.get();
      if (r.status() == 201) {
        won++;
      } else {
        assertThat(r.code()).as(r.body()).isEqualTo("coupon_unavailable");
      }
    }
    assertThat(won).isEqualTo(1);
  }

  @Test
  void redeem_binds_the_coupons_to_the_order_and_a_cancel_gives_them_back() {
    int person = newPerson();
    String code = claim(fixed(1_000, 10, null, false), person);
    long lockId = lock(uniqueCode("k"), person, cart(5_000, 0), List.of(code), "T-1001").json().get("id").asLong();
    Http.Response redeemed = http.post("/api/v1/offers/checkout/locks/" + lockId + "/redeem", ADMIN, "{}");
    assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
    assertThat(redeemed.json().get("status").asString()).isEqualTo("REDEEMED");
    assertThat(http.post("/api/v1/offers/checkout/locks/" + lockId + "/redeem", ADMIN, "{\"orderId\":\"T-1001\"}").json().get("replayed").asBoolean()).isTrue();
    assertThat(http.post("/api/v1/offers/checkout/locks/" + lockId + "/redeem", ADMIN, "{\"orderId\":\"T-9\"}").code()).isEqualTo("conflict");
    assertThat(status(person, code)).isEqualTo("REDEEMED");

    checkout.orderCancelled("tmall", "flagship", "T-1001", false, 0);
    assertThat(status(person, code)).isEqualTo("ISSUED");
    checkout.orderCancelled("tmall", "flagship", "T-1001", false, 0);
    assertThat(status(person, code)).isEqualTo("ISSUED");
  }

  @Test
  void a_refund_restores_a_coupon_only_as_its_template_policy_says() {
    int person = newPerson();
    String full = claim(fixed(1_000, 10, null, true), person);
    TemplateSpec never = new TemplateSpec(uniqueCode("never"), null, "fixed", 500L, null, null, null, null, null, null, null, null, null, null, null,
        null, 30, null, 10L, null, null, null, null, true, "never", null);
    String kept = claim(template(never), person);
    long lockId = lock(uniqueCode("k"), person, cart(5_000, 0), List.of(full, kept), "T-2002").json().get("id").asLong();
    checkout.redeem(lockId, null);
    checkout.orderRefunded("tmall", "flagship", "T-2002", 3_500, 1_000);
    assertThat(status(person, full)).isEqualTo("REDEEMED");
    checkout.orderRefunded("tmall", "flagship", "T-2002", 3_500, 3_500);
    assertThat(status(person, full)).isEqualTo("ISSUED");
    assertThat(status(person, kept)).isEqualTo("REDEEMED");
  }

  @Test
  void a_released_or_expired_lock_gives_its_coupons_back_and_cannot_be_redeemed() {
    int person = newPerson();
    String code = claim(fixed(1_000, 10, null, false), person);
    long lockId = lock(uniqueCode("k"), person, cart(5_000, 0), List.of(code), null).json().get("id").asLong();
    assertThat(http.post("/api/v1/offers/checkout/locks/" + lockId + "/release", ADMIN, "{}").json().get("status").asString()).isEqualTo("RELEASED");
    assertThat(http.post("/api/v1/offers/checkout/locks/" + lockId + "/release", ADMIN, "{}").json().get("replayed").asBoolean()).isTrue();
    assertThat(status(person, code)).isEqualTo("ISSUED");
    assertThat(http.post("/api/v1/offers/checkout/locks/" + lockId + "/redeem", ADMIN, "{\"orderId\":\"X\"}").code()).isEqualTo("coupon_unavailable");

    long second = lock(uniqueCode("k"), person, cart(5_000, 0), List.of(code), null).json().get("id").asLong();
    clock.advance(Duration.ofMinutes(16));
    assertThat(checkout.expireDue()).isGreaterThanOrEqualTo(1);
    assertThat(checkout.get(second).status()).isEqualTo("EXPIRED");
    assertThat(status(person, code)).isEqualTo("ISSUED");
  }

  @Test
  void commerce_cancel_and_refund_events_reach_the_coupons() throws Exception {
    int person = newPerson();
    String code = claim(fixed(1_000, 10, null, false), person);
    long lockId = lock(uniqueCode("k"), person, cart(5_000, 0), List.of(code), "T-3003").json().get("id").asLong();
    checkout.redeem(lockId, null);
    publish(new OrderRefunded(1, "tmall", "flagship", "T-3003", List.of(), 4_000, 4_000, 4_000, clock.instant()));
    await(() -> status(person, code).equals("ISSUED"));
    long again = lock(uniqueCode("k"), person, cart(5_000, 0), List.of(code), "T-3004").json().get("id").asLong();
    publish(new OrderCancelled(2, "tmall", "flagship", "T-3004", List.of(), "CANCELLED", false, 0, 0, clock.instant()));
    await(() -> checkout.get(again).status().equals("RELEASED"));
    assertThat(status(person, code)).isEqualTo("ISSUED");
  }

  private String status(int person, String code) {
    return jdbc.sql("SELECT status FROM offer_coupon WHERE person_id = ? AND code = ?").params(person, code).query(String.class).single();
  }
}
