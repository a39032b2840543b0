package io.pond.offer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.offer.coupon.IssueOutcome;
import io.pond.support.Http;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A template's stats: coupons by status (expired unused ones apart) and source, the discount redeemed ones gave. */
class CouponStatsApiTest extends OfferTestSupport {

  private String grant(String template, int person, String source) {
    return ((IssueOutcome.Issued) issuing.grant(template, person, source, null)).coupon().code();
  }

  @Test
  void stats_count_coupons_by_status_and_source_and_sum_the_redeemed_discount() {
    String template = fixed(1_000, 10, null, false);
    int a = newPerson();
    int b = newPerson();
    int c = newPerson();
    String redeemed = grant(template, a, "grant:user:ops");
    grant(template, b, "grant:user:ops");
    grant(template, c, "bulk");
    String cart = "{\"channel\":\"tmall\",\"shop\":\"flagship\",\"lines\":[{\"sku\":\"tea\",\"category\":\"drink\",\"quantity\":1,\"unitPriceFen\":5000}],"
        + "\"shippingFen\":0}";
    Http.Response lock = http.post("/api/v1/offers/checkout/locks", ADMIN,
        "{\"idempotencyKey\":\"" + uniqueCode("k") + "\",\"personId\":" + a + ",\"cart\":" + cart + ",\"codes\":[\"" + redeemed + "\"],\"orderId\":\"S-1\"}");
    assertThat(lock.status()).as(lock.body()).isIn(200, 201);
    assertThat(http.post("/api/v1/offers/checkout/locks/" + lock.json().get("id").asLong() + "/redeem", ADMIN, "{}").status()).isEqualTo(200);

    JsonNode stats = http.get("/api/v1/offers/templates/" + template + "/stats", ADMIN).json();
    assertThat(stats.get("issued").asLong()).isEqualTo(3);
    assertThat(stats.get("remaining").asLong()).isEqualTo(7);
    assertThat(stats.get("byStatus").toString()).isEqualTo("{\"ISSUED\":2,\"REDEEMED\":1}");
    assertThat(stats.get("bySource").toString()).isEqualTo("{\"bulk\":1,\"grant:user:ops\":2}");
    assertThat(stats.get("redeemedDiscountFen").asLong()).isEqualTo(1_000);
    assertThat(stats.get("redemptionRate").asDouble()).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));

    clock.advance(Duration.ofDays(40)); // past the 30 days of validity: unused coupons count as expired
    JsonNode later = http.get("/api/v1/offers/templates/" + template + "/stats", ADMIN).json();
    assertThat(later.get("byStatus").toString()).isEqualTo("{\"EXPIRED\":2,\"REDEEMED\":1}");

    assertThat(http.get("/api/v1/offers/templates/nope/stats", ADMIN).status()).isEqualTo(404);
  }
}
