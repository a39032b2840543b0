package io.pond.offer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.offer.benefit.Benefits;
import io.pond.offer.checkout.Checkout;
import io.pond.offer.coupon.IssueOutcome;
import io.pond.offer.coupon.TemplateSpec;
import io.pond.offer.firstorder.FirstOrders;
import io.pond.offer.issuance.BulkIssuance;
import io.pond.offer.issuance.EventIssuance;
import io.pond.support.Http;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Templates over HTTP, bulk and event issuance, code pools, benefits and first-order programs. */
class IssuanceApiTest extends OfferTestSupport {

  @Autowired BulkIssuance bulk;
  @Autowired EventIssuance events;
  @Autowired Benefits benefits;
  @Autowired FirstOrders firstOrders;
  @Autowired Checkout checkout;
  @Autowired io.pond.offer.coupon.CodePools pools;

  @Test
  void a_template_is_validated_field_by_field() {
    Http.Response noKind = http.post("/api/v1/offers/templates", ADMIN, "{\"code\":\"" + uniqueCode("t") + "\",\"totalStock\":10,\"validDays\":7}");
    assertThat(noKind.status()).isEqualTo(400);
    assertThat(noKind.code()).isEqualTo("validation_failed");
    assertThat(noKind.json().get("field").asString()).isEqualTo("kind");
    Http.Response badThreshold = http.post("/api/v1/offers/templates", ADMIN,
        "{\"code\":\"" + uniqueCode("t") + "\",\"kind\":\"threshold\",\"amountOffFen\":3000,\"thresholdFen\":2000,\"totalStock\":10,\"validDays\":7}");
    assertThat(badThreshold.json().get("field").asString()).isEqualTo("amountOffFen");
    Http.Response badRate = http.post("/api/v1/offers/templates", ADMIN,
        "{\"code\":\"" + uniqueCode("t") + "\",\"kind\":\"percentage\",\"payRatePermille\":1000,\"totalStock\":10,\"validDays\":7}");
    assertThat(badRate.json().get("field").asString()).isEqualTo("payRatePermille");
    Http.Response badWindow = http.post("/api/v1/offers/templates", ADMIN,
        "{\"code\":\"" + uniqueCode("t") + "\",\"kind\":\"fixed\",\"amountOffFen\":100,\"totalStock\":10,\"validFrom\":\"2026-06-02T00:00:00Z\",\"validUntil\":\"2026-06-01T00:00:00Z\"}");
    assertThat(badWindow.json().get("field").asString()).isEqualTo("validUntil");
    Http.Response badChannel = http.post("/api/v1/offers/templates", ADMIN,
        "{\"code\":\"" + uniqueCode("t") + "\",\"kind\":\"fixed\",\"amountOffFen\":100,\"totalStock\":10,\"validDays\":7,\"channels\":[\"Tmall!\"]}");
    assertThat(badChannel.json().get("field").asString()).isEqualTo("channels");
    Http.Response noStock = http.post("/api/v1/offers/templates", ADMIN, "{\"code\":\"" + uniqueCode("t") + "\",\"kind\":\"fixed\",\"amountOffFen\":100,\"validDays\":7}");
    assertThat(noStock.json().get("field").asString()).isEqualTo("totalStock");

    String code = uniqueCode("t");
    Http.Response created = http.post("/api/v1/offers/templates", ADMIN,
        "{\"code\":\"" + code + "\",\"kind\":\"fixed\",\"amountOffFen\":100,\"totalStock\":10,\"validDays\":7,\"channels\":[\"tmall\"],\"perMemberLimit\":1}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("remaining").asLong()).isEqualTo(10);
    assertThat(http.post("/api/v1/offers/templates", ADMIN,
        "{\"code\":\"" + code + "\",\"kind\":\"fixed\",\"amountOffFen\":100,\"totalStock\":10,\"validDays\":7}").code()).isEqualTo("conflict");

    int person = newPerson();
    assertThat(http.post("/api/v1/offers/templates/" + code + "/claims", ADMIN, "{\"personId\":" + person + "}").status()).isEqualTo(201);
    Http.Response second = http.post("/api/v1/offers/templates/" + code + "/claims", ADMIN, "{\"personId\":" + person + "}");
    assertThat(second.code()).isEqualTo("coupon_limit_reached");
    Http.Response lower = http.post("/api/v1/offers/templates/" + code + "/stock", ADMIN, "{\"totalStock\":1}");
    assertThat(lower.status()).isEqualTo(200);
    assertThat(http.post("/api/v1/offers/templates/" + code + "/claims", ADMIN, "{\"personId\":" + newPerson() + "}").code()).isEqualTo("out_of_stock");
  }

  @Test
  void member_only_and_tier_only_templates_refuse_others() {
    TemplateSpec vip = new TemplateSpec(uniqueCode("vip"), null, "fixed", 1000L, null, null, null, null, null, null, null, null, null, null, null, null,
        30, null, 100L, null, true, List.of("L3"), null, null, null, null);
    String code = template(vip);
    int stranger = newPerson();
    Http.Response r = http.post("/api/v1/offers/templates/" + code + "/claims", ADMIN, "{\"personId\":" + stranger + "}");
    assertThat(r.code()).isEqualTo("not_eligible");
    int member = newPerson();
    events.tierChanged("main", member, "L1", "L2", clock.instant());
    assertThat(issuing.claim(code, member, null)).isInstanceOfSatisfying(IssueOutcome.Refused.class, x -> assertThat(x.reason()).isEqualTo("tier"));
    events.tierChanged("main", member, "L2", "L3", clock.instant());
    assertThat(issuing.claim(code, member, null)).isInstanceOf(IssueOutcome.Issued.class);
    // an operator's grant skips the audience rules
    assertThat(issuing.grant(code, stranger, "grant", null)).isInstanceOf(IssueOutcome.Issued.class);
  }

  @Test
  void a_bulk_job_issues_once_per_person_reports_progress_and_replays_by_key() throws Exception {
    String template = fixed(300, 5, null, false);
    List<Integer> persons = List.of(newPerson(), newPerson(), newPerson(), newPerson(), newPerson(), newPerson(), newPerson());
    String key = uniqueCode("job");
    Http.Response started = http.post("/api/v1/offers/issue-jobs", ADMIN,
        "{\"idempotencyKey\":\"" + key + "\",\"templateCode\":\"" + template + "\",\"personIds\":" + json(persons) + "}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    long id = started.json().get("id").asLong();
    BulkIssuance.Job done = bulk.await(id, 60_000);
    assertThat(done.status()).isEqualTo("DONE");
    assertThat(done.total()).isEqualTo(7);
    assertThat(done.processed()).isEqualTo(7);
    assertThat(done.issued()).isEqualTo(5);
    assertThat(done.refused()).isEqualTo(2);
    JsonNode refused = http.get("/api/v1/offers/issue-jobs/" + id + "/items?status=REFUSED", ADMIN).json();
    assertThat(refused.size()).isEqualTo(2);
    assertThat(refused.get(0).get("reason").asString()).startsWith("out_of_stock");
    Http.Response replay = http.post("/api/v1/offers/issue-jobs", ADMIN,
        "{\"idempotencyKey\":\"" + key + "\",\"templateCode\":\"" + template + "\",\"personIds\":" + json(persons) + "}");
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().get("id").asLong()).isEqualTo(id);
    assertThat(issuedCount(template)).isEqualTo(5);

    // a resumed job issues nobody twice: put every item back to pending and run it again
    jdbc.sql("UPDATE offer_issue_job_item SET status = 'PENDING' WHERE job_id = ?").param(id).update();
    jdbc.sql("UPDATE offer_issue_job SET status = 'PAUSED' WHERE id = ?").param(id).update();
    bulk.resume(id, "test");
    bulk.await(id, 60_000);
    assertThat(issuedCount(template)).isEqualTo(5);
  }

  @Test
  void an_uploaded_list_with_a_bad_line_is_refused_by_line_number_and_a_good_one_runs() throws Exception {
    String template = fixed(300, 100, null, false);
    int a = newPerson();
    int b = newPerson();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> bulk.startFromCsv(uniqueCode("csv"), template,
            new ByteArrayInputStream(("person_id\n" + a + "\nbob\n").getBytes(StandardCharsets.UTF_8)), "list.csv", "test"))
        .isInstanceOfSatisfying(io.pond.platform.errors.PondException.class, e -> {
          assertThat(e.field()).isEqualTo("file");
          assertThat(e.getMessage()).contains("lines 3");
        });
    var job = bulk.startFromCsv(uniqueCode("csv"), template, new ByteArrayInputStream(("person_id\n" + a + "\n" + b + "\n" + a + "\n").getBytes(StandardCharsets.UTF_8)), "list.csv", "test");
    assertThat(job.total()).isEqualTo(2);
    assertThat(job.source()).isEqualTo("upload:list.csv");
    assertThat(bulk.await(job.id(), 60_000).issued()).isEqualTo(2);
  }

  @Test
  void imported_pool_codes_are_handed_out_in_order_and_bad_lines_are_reported() {
    String code = uniqueCode("pool");
    templates.create(new TemplateSpec(code, null, "fixed", 500L, null, null, null, null, null, null, null, null, null, null, null, null, 30, null, null,
        null, null, null, null, null, null, "pool"), "test");
    var result = pools.importCsv(code, new ByteArrayInputStream("code\nJD-AAAA-1\nJD-AAAA-2\nJD-AAAA-1\nno way\nJD-AAAA-3\n".getBytes(StandardCharsets.UTF_8)), "test");
    assertThat(result.added()).isEqualTo(3);
    assertThat(result.duplicates()).isEqualTo(1);
    assertThat(result.rejected()).extracting(r -> r.line()).containsExactly(5);
    assertThat(result.totalStock()).isEqualTo(3);
    List<String> codes = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      codes.add(((IssueOutcome.Issued) issuing.claim(code, newPerson(), null)).coupon().code());
    }
    assertThat(codes).containsExactly("JD-AAAA-1", "JD-AAAA-2", "JD-AAAA-3");
    assertThat(issuing.claim(code, newPerson(), null)).isInstanceOfSatisfying(IssueOutcome.Refused.class, r -> assertThat(r.reason()).isEqualTo("out_of_stock"));
  }

  @Test
  void tier_benefits_are_queryable_and_reaching_a_tier_and_a_birthday_issue_their_coupons_once() {
    String program = uniqueCode("prog");
    String upgrade = fixed(2_000, 100, null, false);
    String birthday = fixed(5_000, 100, null, false);
    String joinGift = fixed(1_000, 100, null, false);
    http.post("/api/v1/offers/triggers", ADMIN, "{\"event\":\"join\",\"templateCode\":\"" + joinGift + "\"}");
    Http.Response set = http.put("/api/v1/offers/benefits/tiers/" + program, ADMIN,
        "{\"tiers\":[{\"tier\":\"L1\",\"benefits\":{}},{\"tier\":\"L2\",\"benefits\":{\"discountRatePermille\":950,\"freeShipping\":true,"
            + "\"birthdayGift\":\"" + birthday + "\",\"exclusiveServices\":[\"personal shopper\"],\"upgradeCoupons\":[\"" + upgrade + "\"]}}]}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    Http.Response bad = http.put("/api/v1/offers/benefits/tiers/" + program, ADMIN, "{\"tiers\":[{\"tier\":\"L1\",\"benefits\":{\"birthdayGift\":\"nope\"}}]}");
    assertThat(bad.json().get("field").asString()).isEqualTo("tiers[0].birthdayGift");
    http.put("/api/v1/offers/benefits/plans/plus", ADMIN, "{\"discountRatePermille\":900,\"freeShipping\":false,\"exclusiveServices\":[\"early access\"]}");

    int person = newPerson();
    events.joined(person, clock.instant());
    events.tierChanged(program, person, "L1", "L1", clock.instant());
    events.tierChanged(program, person, "L1", "L2", clock.instant());
    events.tierChanged(program, person, "L1", "L2", clock.instant());
    assertThat(issuedTo(person, upgrade)).isEqualTo(1);
    assertThat(issuedTo(person, joinGift)).isEqualTo(1);

    http.post("/api/v1/offers/members/" + person + "/plans", ADMIN,
        "{\"plan\":\"plus\",\"startsAt\":\"" + clock.instant() + "\",\"endsAt\":\"" + clock.instant().plus(Duration.ofDays(365)) + "\"}");
    JsonNode mine = http.get("/api/v1/offers/members/" + person + "/benefits", ADMIN).json();
    assertThat(mine.get("discountRatePermille").asInt()).isEqualTo(900);
    assertThat(mine.get("freeShipping").asBoolean()).isTrue();
    assertThat(mine.get("benefits").valueStream().map(b -> b.get("kind").asString()).toList())
        .contains("DISCOUNT_RATE", "FREE_SHIPPING", "BIRTHDAY_GIFT", "EXCLUSIVE_SERVICE", "UPGRADE_COUPON");

    LocalDate today = LocalDate.now(clock);
    http.put("/api/v1/offers/members/" + person + "/birthday", ADMIN, "{\"birthday\":\"1990-" + String.format("%02d-%02d", today.getMonthValue(), today.getDayOfMonth()) + "\"}");
    assertThat(http.put("/api/v1/offers/members/" + person + "/birthday", ADMIN, "{\"birthday\":\"13-45\"}").json().get("field").asString()).isEqualTo("birthday");
    assertThat(events.birthdays(today)).isGreaterThanOrEqualTo(1);
    events.birthdays(today);
    assertThat(issuedTo(person, birthday)).isEqualTo(1);
  }

  @Test
  void a_first_order_program_measures_first_order_rate_and_subsidy_per_acquired_customer() {
    String special = template(new TemplateSpec(uniqueCode("yuan"), "¥1 tea", "special_price", null, null, null, null, 100L, null, null, null, null,
        List.of("tea"), null, null, null, 7, null, 100L, 1, null, null, true, null, null, null));
    String program = uniqueCode("newbie");
    Http.Response created = http.post("/api/v1/offers/first-order-programs", ADMIN,
        "{\"code\":\"" + program + "\",\"windowDays\":7,\"templateCodes\":[\"" + special + "\"],\"enrolOnJoin\":true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Instant from = clock.instant();
    int buyer = newPerson();
    int browser = newPerson();
    events.joined(buyer, clock.instant());
    events.joined(browser, clock.instant());
    String code = jdbc.sql("SELECT c.code FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id WHERE t.code = ? AND c.person_id = ?")
        .params(special, buyer).query(String.class).single();
    var cart = new io.pond.offer.coupon.domain.Cart("tmall", "flagship", List.of(new io.pond.offer.coupon.domain.Cart.Line("tea", "drink", 1, 5_900)), 0);
    long lock = checkout.lock(uniqueCode("k"), buyer, cart, List.of(code), "F-1").id();
    checkout.redeem(lock, null);
    clock.advance(Duration.ofDays(2));
    firstOrders.orderPaid(buyer, "tmall/flagship/F-1", clock.instant());
    // a second order is not a first order
    firstOrders.orderPaid(buyer, "tmall/flagship/F-2", clock.instant());
    FirstOrders.Metrics m = firstOrders.metrics(program, from, clock.instant());
    assertThat(m.enrolled()).isEqualTo(2);
    assertThat(m.acquired()).isEqualTo(1);
    assertThat(m.firstOrderRate()).isEqualTo(0.5);
    assertThat(m.subsidyFen()).isEqualTo(5_800);
    assertThat(m.subsidyPerAcquiredFen()).isEqualTo(5_800);
    // a customer who already ordered is not new
    Http.Response again = http.post("/api/v1/offers/first-order-programs/" + program + "/enrolments", ADMIN, "{\"personId\":" + newPersonWithOrder() + "}");
    assertThat(again.code()).isEqualTo("not_eligible");
  }

  private int newPersonWithOrder() {
    int p = newPerson();
    firstOrders.orderPaid(p, "tmall/flagship/OLD-" + p, clock.instant());
    return p;
  }

  private long issuedTo(int person, String template) {
    return jdbc.sql("SELECT COUNT(*) FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id WHERE t.code = ? AND c.person_id = ?")
        .params(template, person).query(Long.class).single();
  }
}
