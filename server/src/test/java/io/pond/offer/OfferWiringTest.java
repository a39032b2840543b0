package io.pond.offer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.commerce.OrderPaid;
import io.pond.identity.LinkKind;
import io.pond.identity.PersonId;
import io.pond.identity.PersonSplit;
import io.pond.identity.PersonsMerged;
import io.pond.loyalty.MemberJoined;
import io.pond.loyalty.PaidMembershipExpired;
import io.pond.loyalty.PaidMembershipRenewed;
import io.pond.loyalty.PaidMembershipStarted;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.TierChanged;
import io.pond.offer.coupon.TemplateSpec;
import io.pond.profile.ProfileChanged;
import io.pond.support.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The offer module wired to the others, end to end through the API: bulk issuance to a saved segment
 * (the segment module's {@link Audience}), coupons on loyalty's events (join, tier up, paid membership),
 * the daily birthday job in the brand's timezone, benefits per member, and first-order metrics fed by
 * commerce's {@code OrderPaid}. Events are published as their modules do, and some twice (redelivery).
 */
class OfferWiringTest extends OfferTestSupport {

  @Test
  void a_saved_segment_is_issued_in_bulk_with_progress_through_the_api() throws Exception {
    String run = Long.toString(System.nanoTime());
    String city = "杭州" + run;
    List<Integer> inSegment = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int p = newPerson();
      inSegment.add(p);
      publish(new ProfileChanged(p, Map.of("city", city), Map.of(), Map.of(), clock.instant()));
    }
    int elsewhere = newPerson();
    publish(new ProfileChanged(elsewhere, Map.of("city", "宁波" + run), Map.of(), Map.of(), clock.instant()));
    String segment = "hz-" + run;
    Http.Response created = http.post("/api/v1/segments", ADMIN,
        "{\"code\":\"" + segment + "\",\"name\":\"Hangzhou\",\"expression\":{\"trait\":\"city\",\"equals\":\"" + city + "\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    await(() -> http.get("/api/v1/segments/" + segment, ADMIN).json().get("count").asInt() == 4);

    String template = fixed(500, 3, 1, false); // one short: a refusal shows in the progress
    Http.Response unknown = http.post("/api/v1/offers/issue-jobs", ADMIN,
        "{\"idempotencyKey\":\"" + uniqueCode("seg") + "\",\"templateCode\":\"" + template + "\",\"audience\":\"segment:nope-" + run + "\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("field").asString()).isEqualTo("audience");

    Http.Response started = http.post("/api/v1/offers/issue-jobs", ADMIN,
        "{\"idempotencyKey\":\"" + uniqueCode("seg") + "\",\"templateCode\":\"" + template + "\",\"audience\":\"segment:" + segment + "\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    long id = started.json().get("id").asLong();
    assertThat(started.json().get("total").asInt()).isEqualTo(4);
    assertThat(started.json().get("source").asString()).isEqualTo("segment:" + segment);
    await(() -> http.get("/api/v1/offers/issue-jobs/" + id, ADMIN).json().get("status").asString().equals("DONE"));
    JsonNode progress = http.get("/api/v1/offers/issue-jobs/" + id, ADMIN).json();
    assertThat(progress.get("processed").asInt()).isEqualTo(4);
    assertThat(progress.get("issued").asInt()).isEqualTo(3);
    assertThat(progress.get("refused").asInt()).isEqualTo(1);
    Set<Integer> holders = new HashSet<>(jdbc.sql(
            "SELECT c.person_id FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id WHERE t.code = ?")
        .param(template).query(Integer.class).list());
    assertThat(holders).hasSize(3).isSubsetOf(inSegment).doesNotContain(elsewhere);
  }

  @Test
  void coupons_follow_a_oneid_merge_to_the_survivor_and_go_back_on_its_split() throws Exception {
    String once = fixed(500, 100, 1, false); // one per member
    int survivor = newPerson();
    int merged = newPerson();
    assertThat(issuing.claim(once, survivor, uniqueCode("k"))).isInstanceOf(io.pond.offer.coupon.IssueOutcome.Issued.class);
    assertThat(issuing.claim(once, merged, uniqueCode("k"))).isInstanceOf(io.pond.offer.coupon.IssueOutcome.Issued.class);
    String mergedCode = wallet(merged).get(0).get("code").asString();
    long mergeId = 9_000_000L + survivor;

    PersonsMerged merge = new PersonsMerged(PersonId.of(survivor), PersonId.of(merged), mergeId, LinkKind.MANUAL, "test", "m-" + mergeId,
        clock.instant());
    publish(merge);
    publish(merge); // redelivered: nothing left to move
    await(() -> wallet(survivor).size() == 2);
    assertThat(wallet(merged)).isEmpty();
    assertThat(wallet(survivor).stream().map(c -> c.get("code").asString())).contains(mergedCode);
    // the survivor holds two coupons of a one-per-member template: it may claim no more
    assertThat(issuing.claim(once, survivor, uniqueCode("k"))).isInstanceOfSatisfying(io.pond.offer.coupon.IssueOutcome.Refused.class,
        r -> assertThat(r.reason()).isEqualTo("limit_reached"));

    PersonSplit split = new PersonSplit(PersonId.of(survivor), PersonId.of(merged), mergeId, List.of(), "test", clock.instant());
    publish(split);
    publish(split);
    await(() -> wallet(merged).size() == 1);
    assertThat(wallet(merged).get(0).get("code").asString()).isEqualTo(mergedCode);
    assertThat(wallet(survivor)).hasSize(1);
    assertThat(issuing.claim(once, merged, uniqueCode("k"))).isInstanceOfSatisfying(io.pond.offer.coupon.IssueOutcome.Refused.class,
        r -> assertThat(r.reason()).isEqualTo("limit_reached"));
  }

  private List<JsonNode> wallet(int person) {
    List<JsonNode> coupons = new ArrayList<>();
    http.get("/api/v1/offers/members/" + person + "/coupons", ADMIN).json().forEach(coupons::add);
    return coupons;
  }

  @Test
  void loyalty_events_issue_join_and_tier_up_coupons_once_and_keep_paid_plans() throws Exception {
    String program = uniqueCode("prog");
    String joinGift = fixed(800, 1_000, null, false);
    String upgrade = fixed(1_500, 1_000, null, false);
    http.post("/api/v1/offers/triggers", ADMIN, "{\"event\":\"join\",\"templateCode\":\"" + joinGift + "\"}");
    assertThat(http.put("/api/v1/offers/benefits/tiers/" + program, ADMIN,
            "{\"tiers\":[{\"tier\":\"L1\",\"benefits\":{}},{\"tier\":\"L2\",\"benefits\":{\"discountRatePermille\":950,\"upgradeCoupons\":[\"" + upgrade + "\"]}}]}")
        .status()).isEqualTo(200);
    String plan = uniqueCode("plus");
    http.put("/api/v1/offers/benefits/plans/" + plan, ADMIN, "{\"discountRatePermille\":880,\"freeShipping\":true,\"exclusiveServices\":[\"hotline\"]}");

    int person = newPerson();
    PersonRef ref = new PersonRef(person);
    MemberJoined joined = new MemberJoined(program, ref, "tmall", "flagship", clock.instant());
    publish(joined);
    publish(joined); // redelivered
    publish(new MemberJoined(program + "-other", ref, "jd", "store", clock.instant())); // a second program: no second gift
    await(() -> issuedTo(person, joinGift) == 1);

    TierChanged up = new TierChanged(program, ref, "L1", "L2", "spend", clock.instant());
    publish(new TierChanged(program, ref, null, "L1", "join", clock.instant()));
    publish(up);
    publish(up);
    await(() -> issuedTo(person, upgrade) == 1);
    // a downgrade and a second rise to the same tier issue nothing more
    publish(new TierChanged(program, ref, "L2", "L1", "review", clock.instant()));
    publish(up);

    Instant start = clock.instant();
    PaidMembershipStarted paid = new PaidMembershipStarted(program, ref, plan, start, start.plus(Duration.ofDays(30)), "pay-1", 9_900);
    publish(paid);
    await(() -> plans(person).contains(plan));
    JsonNode mine = http.get("/api/v1/offers/members/" + person + "/benefits", ADMIN).json();
    assertThat(mine.get("discountRatePermille").asInt()).isEqualTo(880);
    assertThat(mine.get("freeShipping").asBoolean()).isTrue();
    assertThat(mine.get("tiers").get(program).asString()).isIn("L1", "L2");

    // renewed to day 60, then the old start is redelivered: the plan still runs to day 60
    publish(new PaidMembershipRenewed(program, ref, plan, start.plus(Duration.ofDays(30)), start.plus(Duration.ofDays(60)), "pay-2", 9_900, start));
    await(() -> planEnds(person, plan).equals(start.plus(Duration.ofDays(60))));
    publish(paid);
    clock.advance(Duration.ofDays(45));
    Thread.sleep(300);
    assertThat(plans(person)).contains(plan);
    assertThat(planEnds(person, plan)).isEqualTo(start.plus(Duration.ofDays(60)));
    // it expires: no plan, no plan benefits
    publish(new PaidMembershipExpired(program, ref, plan, clock.instant(), clock.instant()));
    await(() -> !plans(person).contains(plan));
    assertThat(http.get("/api/v1/offers/members/" + person + "/benefits", ADMIN).json().get("freeShipping").asBoolean()).isFalse();
    assertThat(issuedTo(person, joinGift)).isEqualTo(1);
    assertThat(issuedTo(person, upgrade)).isEqualTo(1);
  }

  @Test
  void the_daily_job_gives_birthday_coupons_on_the_local_day_once_a_year() throws Exception {
    String gift = fixed(2_000, 1_000, null, false);
    assertThat(http.post("/api/v1/offers/triggers", ADMIN, "{\"event\":\"birthday\",\"templateCode\":\"" + gift + "\"}").status()).isIn(200, 201);
    // 2026-08-18 17:30 UTC is already 19 August in Shanghai, the brand's timezone
    clock.set(Instant.parse("2026-08-18T17:30:00Z"));
    int local = newPerson();
    int utc = newPerson();
    publish(new MemberJoined("main", new PersonRef(local), "tmall", "flagship", clock.instant()));
    publish(new MemberJoined("main", new PersonRef(utc), "tmall", "flagship", clock.instant()));
    publish(new ProfileChanged(local, Map.of("birthday", "1991-08-19"), Map.of(), Map.of(), clock.instant()));
    http.put("/api/v1/offers/members/" + utc + "/birthday", ADMIN, "{\"birthday\":\"08-18\"}");
    await(() -> jdbc.sql("SELECT COUNT(*) FROM offer_member WHERE person_id = ? AND birthday = '08-19' AND joined_at IS NOT NULL")
        .param(local).query(Integer.class).single() == 1);
    await(() -> jdbc.sql("SELECT COUNT(*) FROM offer_member WHERE person_id = ? AND joined_at IS NOT NULL").param(utc).query(Integer.class).single() == 1);

    Http.Response ran = http.post("/api/v1/offers/jobs/run", ADMIN, "{}");
    assertThat(ran.status()).as(ran.body()).isEqualTo(200);
    assertThat(ran.json().get("birthdayCoupons").asInt()).isGreaterThanOrEqualTo(1);
    http.post("/api/v1/offers/jobs/run", ADMIN, "{}");
    assertThat(issuedTo(local, gift)).isEqualTo(1);
    assertThat(issuedTo(utc, gift)).isZero();

    // a year later: again, once
    clock.set(Instant.parse("2027-08-18T17:30:00Z"));
    http.post("/api/v1/offers/jobs/run", ADMIN, "{}");
    http.post("/api/v1/offers/jobs/run", ADMIN, "{}");
    assertThat(issuedTo(local, gift)).isEqualTo(2);
    assertThat(issuedTo(utc, gift)).isZero();
  }

  @Test
  void first_order_metrics_over_the_api_count_orders_paid_within_the_window_and_their_subsidy() throws Exception {
    String special = template(new TemplateSpec(uniqueCode("yuan"), "¥1 tea", "special_price", null, null, null, null, 100L, null, null, null, null,
        List.of("tea"), null, null, null, 30, null, 100L, 1, null, null, true, null, null, null));
    String program = uniqueCode("newbie");
    Http.Response created = http.post("/api/v1/offers/first-order-programs", ADMIN,
        "{\"code\":\"" + program + "\",\"windowDays\":3,\"templateCodes\":[\"" + special + "\"],\"enrolOnJoin\":true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Instant from = clock.instant();
    int quick = newPerson();
    int late = newPerson();
    int browser = newPerson();
    for (int p : List.of(quick, late, browser)) {
      publish(new MemberJoined("main", new PersonRef(p), "tmall", "flagship", clock.instant()));
    }
    for (int p : List.of(quick, late, browser)) {
      await(() -> issuedTo(p, special) == 1);
    }

    clock.advance(Duration.ofDays(1));
    buyWithCoupon(quick, special, "FO-" + quick, 5_900);
    clock.advance(Duration.ofDays(4)); // past the 3-day window
    buyWithCoupon(late, special, "FO-" + late, 3_900);

    String query = "?from=" + from + "&to=" + from.plus(Duration.ofHours(1));
    JsonNode m = null;
    long until = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < until) {
      m = http.get("/api/v1/offers/first-order-programs/" + program + "/metrics" + query, ADMIN).json();
      if (m.get("acquired").asInt() == 1 && jdbc.sql("SELECT COUNT(*) FROM offer_member WHERE person_id = ? AND first_paid_at IS NOT NULL")
          .param(late).query(Integer.class).single() == 1) {
        break;
      }
      Thread.sleep(100);
    }
    m = http.get("/api/v1/offers/first-order-programs/" + program + "/metrics" + query, ADMIN).json();
    assertThat(m.get("enrolled").asInt()).isEqualTo(3);
    assertThat(m.get("acquired").asInt()).isEqualTo(1);
    assertThat(m.get("firstOrderRate").asDouble()).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(m.get("subsidyFen").asLong()).isEqualTo(5_800);
    assertThat(m.get("subsidyPerAcquiredFen").asLong()).isEqualTo(5_800);
    assertThat(http.get("/api/v1/offers/first-order-programs/" + program + "/metrics?from=" + from + "&to=" + from, ADMIN).json().get("field").asString())
        .isEqualTo("to");
  }

  /** Validate, lock, redeem over the API; then commerce reports the order paid. */
  private void buyWithCoupon(int person, String template, String orderId, long priceFen) {
    String cart = "{\"channel\":\"tmall\",\"shop\":\"flagship\",\"lines\":[{\"sku\":\"tea\",\"category\":\"drink\",\"quantity\":1,\"unitPriceFen\":" + priceFen + "}]}";
    JsonNode valid = http.post("/api/v1/offers/checkout/validate", ADMIN, "{\"personId\":" + person + ",\"cart\":" + cart + "}").json();
    String code = jdbc.sql("SELECT c.code FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id WHERE t.code = ? AND c.person_id = ?")
        .params(template, person).query(String.class).single();
    assertThat(valid.toString()).contains(code);
    Http.Response lock = http.post("/api/v1/offers/checkout/locks", ADMIN,
        "{\"idempotencyKey\":\"" + uniqueCode("k") + "\",\"personId\":" + person + ",\"cart\":" + cart + ",\"codes\":[\"" + code + "\"],\"orderId\":\"" + orderId + "\"}");
    assertThat(lock.status()).as(lock.body()).isEqualTo(201);
    Http.Response redeemed = http.post("/api/v1/offers/checkout/locks/" + lock.json().get("id").asLong() + "/redeem", ADMIN, "{}");
    assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
    publish(new OrderPaid(person * 10L, "tmall", "flagship", orderId, List.of(), 100, priceFen - 100, 0, clock.instant()));
  }

  private long issuedTo(int person, String template) {
    return jdbc.sql("SELECT COUNT(*) FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id WHERE t.code = ? AND c.person_id = ?")
        .params(template, person).query(Long.class).single();
  }

  private Set<String> plans(int person) {
    Set<String> out = new HashSet<>();
    http.get("/api/v1/offers/members/" + person + "/benefits", ADMIN).json().get("plans").forEach(p -> out.add(p.asString()));
    return out;
  }

  private Instant planEnds(int person, String plan) {
    return jdbc.sql("SELECT ends_at FROM offer_member_plan WHERE person_id = ? AND plan = ?").params(person, plan)
        .query(java.sql.Timestamp.class).optional().map(java.sql.Timestamp::toInstant).orElse(Instant.EPOCH);
  }
}
