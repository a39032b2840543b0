package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The loyalty API over HTTP: validation with the field at fault, balances, explained entries, audited adjustments. */
class LoyaltyApiTest extends LoyaltyTestSupport {

  private static final String ADMIN = Http.basic("admin", "loyalty-admin-pw");

  @Test
  void a_program_configuration_is_validated_and_every_version_is_kept() {
    Http http = new Http(port);
    String code = uniqueCode();
    Http.Response bad =
        http.post("/api/v1/loyalty/programs", ADMIN,
            "{\"code\":\"" + code + "\",\"config\":{\"tiers\":[{\"code\":\"L1\",\"threshold\":0},{\"code\":\"L2\",\"threshold\":0}]}}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.code()).isEqualTo("validation_failed");
    assertThat(bad.json().get("field").asString()).isEqualTo("tiers[1].threshold");

    Http.Response badPolicy = http.post("/api/v1/loyalty/programs", ADMIN, "{\"code\":\"" + code + "\",\"config\":{\"refundPolicy\":\"sometimes\"}}");
    assertThat(badPolicy.json().get("field").asString()).isEqualTo("refundPolicy");

    Http.Response created = http.post("/api/v1/loyalty/programs", ADMIN, "{\"code\":\"" + code + "\",\"config\":{\"refundPolicy\":\"only_pending\"}}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("config").get("expiry").get("kind").asString()).isEqualTo("never");
    assertThat(http.post("/api/v1/loyalty/programs", ADMIN, "{\"code\":\"" + code + "\",\"config\":{}}").code()).isEqualTo("conflict");

    Http.Response updated =
        http.send("PUT", "/api/v1/loyalty/programs/" + code, ADMIN, "{\"earning\":{\"pointsPerYuan\":2},\"refundPolicy\":\"unlimited\"}");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().get("version").asInt()).isEqualTo(2);
    JsonNode versions = http.get("/api/v1/loyalty/programs/" + code + "/versions", ADMIN).json();
    assertThat(versions.size()).isEqualTo(2);
    assertThat(versions.get(1).get("config").get("refundPolicy").asString()).isEqualTo("only_pending");
  }

  @Test
  void balances_and_entries_are_explained_and_adjustments_are_audited() {
    Http http = new Http(port);
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson();
    Http.Response paid =
        http.post("/api/v1/loyalty/programs/" + program + "/orders/paid", ADMIN,
            "{\"personId\":" + member.value() + ",\"channel\":\"douyin\",\"shop\":\"s1\",\"orderId\":\"D-1\","
                + "\"lines\":[{\"category\":\"tea\",\"paidFen\":9900}],\"paidAt\":\"" + clock.instant() + "\"}");
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);
    assertThat(paid.json().get("points").asLong()).isEqualTo(99);

    Http.Response adjusted =
        http.post("/api/v1/loyalty/programs/" + program + "/members/" + member.value() + "/adjustments", ADMIN,
            "{\"idempotencyKey\":\"ticket-42\",\"points\":25,\"reason\":\"compensation for a late parcel\"}");
    assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(200);
    http.post("/api/v1/loyalty/programs/" + program + "/members/" + member.value() + "/adjustments", ADMIN,
        "{\"idempotencyKey\":\"ticket-42\",\"points\":25,\"reason\":\"compensation for a late parcel\"}");
    Http.Response noReason =
        http.post("/api/v1/loyalty/programs/" + program + "/members/" + member.value() + "/adjustments", ADMIN,
            "{\"idempotencyKey\":\"ticket-43\",\"points\":25,\"reason\":\"\"}");
    assertThat(noReason.json().get("field").asString()).isEqualTo("reason");

    JsonNode balance = http.get("/api/v1/loyalty/programs/" + program + "/members/" + member.value(), ADMIN).json();
    assertThat(balance.get("available").asLong()).isEqualTo(25);
    assertThat(balance.get("pending").asLong()).isEqualTo(99);
    assertThat(balance.get("tier").asString()).isEqualTo("L1");

    JsonNode entries = http.get("/api/v1/loyalty/programs/" + program + "/members/" + member.value() + "/entries", ADMIN).json();
    assertThat(entries.size()).isEqualTo(2);
    JsonNode earn = entries.get(1);
    assertThat(earn.get("type").asString()).isEqualTo("EARN");
    assertThat(earn.get("orderKey").asString()).isEqualTo("douyin/s1/D-1");
    assertThat(earn.get("rule").asString()).contains("tea 9900 fen at 1/yuan");
    assertThat(earn.get("multiplier").asString()).isEqualTo("1");

    Http.Response tooMuch =
        http.post("/api/v1/loyalty/programs/" + program + "/members/" + member.value() + "/redemptions", ADMIN,
            "{\"source\":\"mall\",\"businessId\":\"big\",\"points\":26}");
    assertThat(tooMuch.status()).isEqualTo(409);
    assertThat(tooMuch.code()).isEqualTo("insufficient_points");

    List<String> audit =
        http.get("/api/v1/audit", ADMIN).json().valueStream().map(e -> e.get("action").asString()).toList();
    assertThat(audit.stream().filter("loyalty.points.adjusted"::equals)).hasSize(1);
  }
}
