package io.pond.membercenter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import io.pond.support.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * The member center's join, order claims, coupons and explained points history: each acts only for
 * the member of the token, answers 401 without one, and refuses bad input with problem+json codes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "POND_ADMIN_PASSWORD=member-center-pw")
@Import(MemberCenterTest.Clocks.class)
class MemberAccountTest {

  private static final String ADMIN = Http.basic("admin", "member-center-pw");
  private static final Pattern CODE = Pattern.compile("验证码是 (\\d{6})");

  @Autowired MutableClock clock;
  @Autowired io.pond.loyalty.orders.OrderFacts facts;
  @LocalServerPort int port;

  private static String newPhone() {
    return "135" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
  }

  private static String unique(String prefix) {
    return prefix + Long.toString(System.nanoTime(), 36);
  }

  record Member(String token, int personId) {
    String auth() {
      return Http.bearer(token);
    }
  }

  private Member signIn(Http http) {
    String phone = newPhone();
    assertThat(http.post("/api/v1/member/auth/code", null, "{\"phone\":\"" + phone + "\"}").status()).isEqualTo(202);
    String masked = phone.substring(0, 3) + "****" + phone.substring(7);
    String code = null;
    for (JsonNode m : http.get("/api/v1/messages?status=held&limit=50", ADMIN).json().get("items")) {
      if (m.get("recipientMasked").asString().equals(masked)) {
        Matcher matcher = CODE.matcher(m.get("body").asString());
        assertThat(matcher.find()).isTrue();
        code = matcher.group(1);
        break;
      }
    }
    assertThat(code).as("code for " + phone).isNotNull();
    Http.Response in = http.post("/api/v1/member/auth/verify", null, "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"}");
    assertThat(in.status()).as(in.body()).isEqualTo(200);
    return new Member(in.json().get("token").asString(), in.json().get("personId").asInt());
  }

  /** A program whose join gift is 100 points; pointsPerYuan 1. */
  private String program(Http http) {
    String program = unique("ma");
    Http.Response created = http.post("/api/v1/loyalty/programs", ADMIN,
        "{\"code\":\"" + program + "\",\"name\":\"会员计划\",\"config\":{\"earning\":{\"events\":{\"join_gift\":{\"points\":100}}}}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return program;
  }

  private static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void every_member_path_needs_a_member_session() {
    Http http = new Http(port);
    String[][] calls = {
      {"GET", "/api/v1/member/membership"}, {"POST", "/api/v1/member/membership/join"}, {"POST", "/api/v1/member/claims"},
      {"GET", "/api/v1/member/claims"}, {"GET", "/api/v1/member/coupons"}, {"GET", "/api/v1/member/coupons/claimable"},
      {"POST", "/api/v1/member/coupons/claimable/any/claim"}, {"GET", "/api/v1/member/points"}};
    for (String[] call : calls) {
      Http.Response anonymous = call[0].equals("POST") ? http.post(call[1], null, "{}") : http.get(call[1], null);
      assertThat(anonymous.status()).as(call[1]).isEqualTo(401);
      assertThat(anonymous.contentType()).as(call[1]).contains("application/problem+json");
      Http.Response staff = call[0].equals("POST") ? http.post(call[1], ADMIN, "{}") : http.get(call[1], ADMIN);
      assertThat(staff.status()).as("staff on " + call[1]).isEqualTo(403);
    }
  }

  @Test
  void a_signed_in_person_joins_once_with_the_gift_and_their_marketing_consent() {
    Http http = new Http(port);
    String program = program(http);
    Member m = signIn(http);

    JsonNode before = http.get("/api/v1/member/membership?program=" + program, m.auth()).json();
    assertThat(before.get("member").asBoolean()).isFalse();
    assertThat(before.get("joinGiftPoints").asLong()).isEqualTo(100);
    assertThat(before.has("balance") && !before.get("balance").isNull()).isFalse();

    Http.Response noConsent = http.post("/api/v1/member/membership/join?program=" + program, m.auth(), "{}");
    assertThat(noConsent.status()).isEqualTo(400);
    assertThat(noConsent.code()).isEqualTo("validation_failed");
    assertThat(noConsent.json().get("field").asString()).isEqualTo("marketingConsent");
    assertThat(http.post("/api/v1/member/membership/join?program=nope", m.auth(), "{\"marketingConsent\":true}").code()).isEqualTo("not_found");

    Http.Response joined = http.post("/api/v1/member/membership/join?program=" + program, m.auth(), "{\"marketingConsent\":true}");
    assertThat(joined.status()).as(joined.body()).isEqualTo(201);
    assertThat(joined.json().get("newMember").asBoolean()).isTrue();
    assertThat(joined.json().get("giftPoints").asLong()).isEqualTo(100);
    assertThat(joined.json().get("balance").get("available").asLong()).isEqualTo(100);

    // joining again gives nothing twice
    Http.Response again = http.post("/api/v1/member/membership/join?program=" + program, m.auth(), "{\"marketingConsent\":true}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("newMember").asBoolean()).isFalse();
    assertThat(again.json().get("giftPoints").asLong()).isZero();

    JsonNode after = http.get("/api/v1/member/membership?program=" + program, m.auth()).json();
    assertThat(after.get("member").asBoolean()).isTrue();
    assertThat(after.get("joinChannel").asString()).isEqualTo("member_center");
    assertThat(after.get("marketingConsent").asBoolean()).isTrue();
    // the consent is in the person's history, given by the person at the member center
    JsonNode consents = http.get("/api/v1/persons/" + m.personId() + "/consents", ADMIN).json();
    assertThat(consents.toString()).contains("marketing").contains("member_center:join");
    // loyalty knows the member, joined on the member center
    assertThat(http.get("/api/v1/loyalty/programs/" + program + "/members/" + m.personId() + "/membership", ADMIN).json()
        .get("joinChannel").asString()).isEqualTo("member_center");

    // the history explains the gift
    JsonNode entry = http.get("/api/v1/member/points?program=" + program, m.auth()).json().get(0);
    assertThat(entry.get("kind").asString()).isEqualTo("event");
    assertThat(entry.get("reference").asString()).isEqualTo("join_gift");
    assertThat(entry.get("state").asString()).isEqualTo("available");
    assertThat(entry.get("availableDelta").asLong()).isEqualTo(100);
    assertThat(entry.get("remaining").asLong()).isEqualTo(100);
  }

  private void pushOrder(String orderId, String buyerId, long paidFen) {
    Instant now = clock.instant();
    String body = "{\"channel\":\"taobao\",\"shopId\":\"flagship\",\"orderId\":\"" + orderId + "\",\"status\":\"PAID\",\"modifiedAt\":\"" + now
        + "\",\"paidFen\":" + paidFen + ",\"paidAt\":\"" + now + "\",\"buyers\":[{\"type\":\"taobao_open_uid\",\"scope\":\"app-1\",\"value\":\""
        + buyerId + "\"}]}";
    Http.Response r = new Http(port).post("/api/v1/orders", ADMIN, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void a_member_claims_orders_and_sees_only_their_own_claims_rate_limited() throws Exception {
    Http http = new Http(port);
    String program = program(http);
    // the order is known before the member signs in: linking its buyer merges the member into the buyer's person
    String orderId = "MC" + System.nanoTime();
    pushOrder(orderId, unique("buyer"), 8_800);
    eventually(() -> facts.byNumber("taobao", orderId).stream().anyMatch(o -> o.paid() && o.personId() != null));
    Member a = signIn(http);
    Member b = signIn(http);
    String path = "/api/v1/member/claims?program=" + program;

    // only members claim
    Http.Response notYet = http.post(path, a.auth(), "{\"channel\":\"taobao\",\"orderNumber\":\"X1\"}");
    assertThat(notYet.status()).isEqualTo(409);
    assertThat(notYet.code()).isEqualTo("not_eligible");
    for (Member m : List.of(a, b)) {
      assertThat(http.post("/api/v1/member/membership/join?program=" + program, m.auth(), "{\"marketingConsent\":false}").status()).isEqualTo(201);
    }

    // bad input names the field
    assertThat(http.post(path, a.auth(), "{\"orderNumber\":\"X1\"}").json().get("field").asString()).isEqualTo("channel");
    assertThat(http.post(path, a.auth(), "{\"channel\":\"taobao\"}").json().get("field").asString()).isEqualTo("orderNumber");
    Http.Response badNumber = http.post(path, a.auth(), "{\"channel\":\"taobao\",\"orderNumber\":\"1; DROP\"}");
    assertThat(badNumber.code()).isEqualTo("validation_failed");
    assertThat(badNumber.json().get("field").asString()).isEqualTo("orderNumber");
    assertThat(http.post(path, a.auth(), "{\"channel\":\"Tao Bao!\",\"orderNumber\":\"X1\"}").json().get("field").asString()).isEqualTo("channel");

    // a known paid order: credited at once, pending until it completes
    Http.Response accepted = http.post(path, a.auth(), "{\"channel\":\"taobao\",\"orderNumber\":\"" + orderId + "\"}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
    assertThat(accepted.json().get("status").asString()).isEqualTo("ACCEPTED");
    assertThat(accepted.json().get("reasonCode").asString()).isEqualTo("accepted");
    assertThat(accepted.json().get("points").asLong()).isEqualTo(88);
    JsonNode history = http.get("/api/v1/member/points?program=" + program, a.auth()).json();
    JsonNode claimed = null;
    for (JsonNode e : history) {
      if (e.get("kind").asString().equals("claim")) {
        claimed = e;
      }
    }
    assertThat(claimed).as(history.toString()).isNotNull();
    assertThat(claimed.get("reference").asString()).isEqualTo("taobao " + orderId);
    assertThat(claimed.get("state").asString()).isEqualTo("pending");
    assertThat(claimed.get("pendingDelta").asLong()).isEqualTo(88);
    assertThat(claimed.get("availableDelta").asLong()).isZero();

    // the same order claimed by another member: refused; by the same member: the first claim
    Http.Response taken = http.post(path, b.auth(), "{\"channel\":\"taobao\",\"orderNumber\":\"" + orderId + "\"}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.code()).isEqualTo("conflict");
    assertThat(http.post(path, a.auth(), "{\"channel\":\"taobao\",\"orderNumber\":\"" + orderId + "\"}").json().get("id").asLong())
        .isEqualTo(accepted.json().get("id").asLong());

    // an order not known yet is held
    Http.Response held = http.post(path, b.auth(), "{\"channel\":\"taobao\",\"orderNumber\":\"WAIT" + System.nanoTime() + "\"}");
    assertThat(held.status()).isEqualTo(202);
    assertThat(held.json().get("status").asString()).isEqualTo("HELD");
    assertThat(held.json().has("expiresAt")).isTrue();

    // each sees only their own claims
    List<Long> aIds = ids(http.get(path, a.auth()).json());
    List<Long> bIds = ids(http.get(path, b.auth()).json());
    assertThat(aIds).containsExactly(accepted.json().get("id").asLong());
    assertThat(bIds).containsExactly(held.json().get("id").asLong());
    assertThat(http.get(path + "&limit=0", a.auth()).json().get("field").asString()).isEqualTo("limit");

    // five claims an hour (one made already), then 429 with Retry-After
    for (int i = 0; i < 4; i++) {
      assertThat(http.post(path, b.auth(), "{\"channel\":\"taobao\",\"orderNumber\":\"R" + i + "X" + System.nanoTime() + "\"}").status())
          .isEqualTo(202);
    }
    HttpResponse<String> limited = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", b.auth()).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"taobao\",\"orderNumber\":\"LIMIT" + System.nanoTime() + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).contains("\"code\":\"rate_limited\"");
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3601L);
  }

  private static List<Long> ids(JsonNode list) {
    List<Long> out = new ArrayList<>();
    list.forEach(n -> out.add(n.get("id").asLong()));
    return out;
  }

  private void template(Http http, String code, String extra) {
    Http.Response created = http.post("/api/v1/offers/templates", ADMIN,
        "{\"code\":\"" + code + "\",\"name\":\"满100减20\",\"kind\":\"threshold\",\"thresholdFen\":10000,\"amountOffFen\":2000" + extra + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  @Test
  void members_claim_listed_coupons_within_limits_and_stock_and_see_only_their_own() {
    Http http = new Http(port);
    Member a = signIn(http);
    Member b = signIn(http);
    Member c = signIn(http);
    String code = unique("mc-");
    template(http, code, ",\"totalStock\":2,\"perMemberLimit\":1,\"validDays\":30");
    String claimPath = "/api/v1/member/coupons/claimable/" + code + "/claim";

    // not in the claim center: members cannot claim it, whatever its code
    assertThat(claimable(http, a, code)).isNull();
    Http.Response hidden = http.post(claimPath, a.auth(), "{\"requestId\":\"r1\"}");
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.code()).isEqualTo("not_found");
    assertThat(http.put("/api/v1/offers/claim-center/" + code, ADMIN, "{}").status()).isEqualTo(200);
    assertThat(http.get("/api/v1/offers/claim-center", ADMIN).body()).contains(code);

    JsonNode offered = claimable(http, a, code);
    assertThat(offered.get("claimable").asBoolean()).isTrue();
    assertThat(offered.get("remaining").asLong()).isEqualTo(2);
    assertThat(offered.get("terms").get("thresholdFen").asLong()).isEqualTo(10000);

    assertThat(http.post(claimPath, a.auth(), "{}").json().get("field").asString()).isEqualTo("requestId");
    Http.Response first = http.post(claimPath, a.auth(), "{\"requestId\":\"r1\"}");
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    String couponCode = first.json().get("coupon").get("code").asString();
    assertThat(first.json().get("coupon").get("status").asString()).isEqualTo("available");
    Http.Response replay = http.post(claimPath, a.auth(), "{\"requestId\":\"r1\"}");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().get("replayed").asBoolean()).isTrue();
    assertThat(replay.json().get("coupon").get("code").asString()).isEqualTo(couponCode);
    Http.Response second = http.post(claimPath, a.auth(), "{\"requestId\":\"r2\"}");
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.code()).isEqualTo("coupon_limit_reached");
    JsonNode mine = claimable(http, a, code);
    assertThat(mine.get("held").asInt()).isEqualTo(1);
    assertThat(mine.get("claimable").asBoolean()).isFalse();
    assertThat(mine.get("refusal").asString()).isEqualTo("limit_reached");

    // the same request id from another member is that member's own claim
    Http.Response other = http.post(claimPath, b.auth(), "{\"requestId\":\"r1\"}");
    assertThat(other.status()).isEqualTo(201);
    assertThat(other.json().get("coupon").get("code").asString()).isNotEqualTo(couponCode);
    Http.Response soldOut = http.post(claimPath, c.auth(), "{\"requestId\":\"r1\"}");
    assertThat(soldOut.code()).isEqualTo("out_of_stock");
    assertThat(claimable(http, c, code).get("refusal").asString()).isEqualTo("out_of_stock");

    // each member sees only their coupons
    List<String> aCodes = codes(http.get("/api/v1/member/coupons", a.auth()).json());
    assertThat(aCodes).containsExactly(couponCode);
    assertThat(codes(http.get("/api/v1/member/coupons", c.auth()).json())).isEmpty();
    assertThat(codes(http.get("/api/v1/member/coupons?status=available", a.auth()).json())).containsExactly(couponCode);
    assertThat(codes(http.get("/api/v1/member/coupons?status=used", a.auth()).json())).isEmpty();
    assertThat(http.get("/api/v1/member/coupons?status=gone", a.auth()).json().get("field").asString()).isEqualTo("status");

    // a member-only coupon refuses a person who has not joined
    String vip = unique("vip-");
    template(http, vip, ",\"totalStock\":10,\"memberOnly\":true,\"validDays\":30");
    assertThat(http.put("/api/v1/offers/claim-center/" + vip, ADMIN, "{\"position\":0}").status()).isEqualTo(200);
    assertThat(claimable(http, c, vip).get("refusal").asString()).isEqualTo("not_member");
    assertThat(http.post("/api/v1/member/coupons/claimable/" + vip + "/claim", c.auth(), "{\"requestId\":\"v\"}").code()).isEqualTo("not_eligible");

    // a coupon whose window ends shows as expired
    String brief = unique("brief-");
    Instant now = clock.instant();
    template(http, brief, ",\"totalStock\":5,\"validFrom\":\"" + now.minusSeconds(60) + "\",\"validUntil\":\"" + now.plus(Duration.ofHours(1)) + "\"");
    assertThat(http.put("/api/v1/offers/claim-center/" + brief, ADMIN, "").status()).isEqualTo(200);
    assertThat(http.post("/api/v1/member/coupons/claimable/" + brief + "/claim", c.auth(), "{\"requestId\":\"b\"}").status()).isEqualTo(201);
    clock.advance(Duration.ofHours(2));
    assertThat(codes(http.get("/api/v1/member/coupons?status=expired", c.auth()).json())).hasSize(1);
    assertThat(claimable(http, c, brief).get("refusal").asString()).isEqualTo("ended");

    // taken out of the claim center: no more claims
    assertThat(http.send("DELETE", "/api/v1/offers/claim-center/" + vip, ADMIN, "").status()).isEqualTo(204);
    assertThat(claimable(http, c, vip)).isNull();
  }

  private static List<String> codes(JsonNode coupons) {
    List<String> out = new ArrayList<>();
    coupons.forEach(n -> out.add(n.get("code").asString()));
    return out;
  }

  private JsonNode claimable(Http http, Member m, String template) {
    for (JsonNode t : http.get("/api/v1/member/coupons/claimable", m.auth()).json()) {
      if (t.get("template").asString().equals(template)) {
        return t;
      }
    }
    return null;
  }
}
