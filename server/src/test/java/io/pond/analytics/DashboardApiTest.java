package io.pond.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import io.pond.support.MutableClock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's numbers on a small known dataset: orders on both sides of local midnight (Shanghai),
 * members joined before, inside and after the range, members' and others' orders, and a user limited
 * to one channel who sees less.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=analytics-admin-pw", "pond.loyalty.jobs.enabled=false"})
@Import(DashboardApiTest.Clocks.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {

  static final String ADMIN = Http.basic("admin", "analytics-admin-pw");
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @TestConfiguration(proxyBeanMethods = false)
  static class Clocks {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(Instant.parse("2031-05-10T04:00:00Z"), SHANGHAI);
    }
  }

  @Autowired JdbcClient jdbc;
  @LocalServerPort int port;
  Http http;
  long programId;

  @BeforeAll
  void dataset() {
    http = new Http(port);
    Http.Response created = http.post("/api/v1/loyalty/programs", ADMIN,
        "{\"code\":\"club\",\"name\":\"Club\",\"config\":{\"tiers\":[{\"code\":\"normal\",\"name\":\"普通\",\"threshold\":0},"
            + "{\"code\":\"gold\",\"name\":\"金卡\",\"threshold\":1000}]}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    programId = jdbc.sql("SELECT id FROM loyalty_program WHERE code = 'club'").query(Long.class).single();

    order(1, "taobao", 10_000, "2031-05-01T15:30:00Z", 0); // 05-01 23:30 local
    order(2, "taobao", 5_000, "2031-05-01T16:30:00Z", 1_000); // 05-02 00:30 local
    order(3, "jd", 20_000, "2031-05-03T02:00:00Z", 0);
    order(4, "doudian", 7_000, "2031-04-30T15:59:00Z", 0); // 04-30 23:59 local: before the range
    order(5, "jd", 3_000, "2031-05-07T15:59:59Z", 0); // 05-07 23:59:59 local: the range's last second
    order(6, "jd", 999, "2031-05-07T16:00:00Z", 0); // 05-08 00:00 local: after the range
    order(7, "taobao", 4_000, null, 0); // never paid

    account(101, 2, "2031-04-20T02:00:00Z", "taobao");
    account(102, 1, "2031-05-02T01:00:00Z", "jd");
    account(103, 1, "2031-05-06T17:00:00Z", null); // 05-07 01:00 local, joined through no channel
    account(104, 1, "2031-05-09T02:00:00Z", "taobao"); // after the range

    loyaltyOrder(1, "taobao", 101, 10_000, "2031-05-01T15:30:00Z"); // a member's
    loyaltyOrder(2, "taobao", 102, 5_000, "2031-05-01T16:30:00Z"); // paid before 102 joined: not a member's
    loyaltyOrder(3, "jd", 102, 20_000, "2031-05-03T02:00:00Z"); // a member's
    loyaltyOrder(5, "jd", null, 3_000, "2031-05-07T15:59:59Z"); // nobody known

    Http.Response user = http.post("/api/v1/users", ADMIN,
        "{\"username\":\"jd-analyst\",\"password\":\"password-123\",\"role\":\"analyst\",\"channels\":[\"jd\"]}");
    assertThat(user.status()).as(user.body()).isEqualTo(201);
  }

  @Test
  void gmv_by_channel_counts_orders_paid_on_the_local_dates_of_the_range() {
    JsonNode d = dashboard(ADMIN, "from=2031-05-01&to=2031-05-07");
    assertThat(d.get("zone").asString()).isEqualTo("Asia/Shanghai");
    assertThat(d.get("program").asString()).isEqualTo("club");
    JsonNode gmv = d.get("gmv");
    assertThat(gmv.get("orders").asLong()).isEqualTo(4);
    assertThat(gmv.get("paidFen").asLong()).isEqualTo(38_000);
    assertThat(gmv.get("refundedFen").asLong()).isEqualTo(1_000);
    assertThat(gmv.get("byChannel").toString())
        .isEqualTo("[{\"channel\":\"jd\",\"orders\":2,\"paidFen\":23000,\"refundedFen\":0},"
            + "{\"channel\":\"taobao\",\"orders\":2,\"paidFen\":15000,\"refundedFen\":1000}]");
    JsonNode series = gmv.get("series");
    assertThat(series.size()).isEqualTo(7);
    assertThat(series.get(0).get("period").asString()).isEqualTo("2031-05-01");
    assertThat(series.get(0).get("paidFen").asLong()).isEqualTo(10_000);
    assertThat(series.get(1).get("paidFenByChannel").get("taobao").asLong()).isEqualTo(5_000);
    assertThat(series.get(2).get("paidFenByChannel").get("jd").asLong()).isEqualTo(20_000);
    assertThat(series.get(5).get("paidFen").asLong()).isZero();
    assertThat(series.get(6).get("paidFen").asLong()).isEqualTo(3_000);
  }

  @Test
  void member_growth_tiers_and_members_gmv() {
    JsonNode d = dashboard(ADMIN, "from=2031-05-01&to=2031-05-07");
    JsonNode m = d.get("members");
    assertThat(m.get("before").asLong()).isEqualTo(1);
    assertThat(m.get("added").asLong()).isEqualTo(2);
    assertThat(m.get("total").asLong()).isEqualTo(3);
    assertThat(m.get("addedByChannel").toString()).isEqualTo("{\"jd\":1,\"unknown\":1}");
    assertThat(m.get("series").get(1).toString()).isEqualTo("{\"period\":\"2031-05-02\",\"added\":1,\"total\":2}");
    assertThat(m.get("series").get(6).toString()).isEqualTo("{\"period\":\"2031-05-07\",\"added\":1,\"total\":3}");

    JsonNode split = d.get("membership");
    assertThat(split.get("memberOrders").asLong()).isEqualTo(2);
    assertThat(split.get("memberFen").asLong()).isEqualTo(30_000);
    assertThat(split.get("otherOrders").asLong()).isEqualTo(2);
    assertThat(split.get("otherFen").asLong()).isEqualTo(8_000);
    assertThat(split.get("series").get(1).toString()).isEqualTo("{\"period\":\"2031-05-02\",\"memberFen\":0,\"otherFen\":5000}");

    assertThat(d.get("tiers").toString())
        .isEqualTo("[{\"tier\":\"normal\",\"name\":\"普通\",\"members\":3},{\"tier\":\"gold\",\"name\":\"金卡\",\"members\":1}]");
  }

  @Test
  void weeks_start_on_monday_and_the_first_week_is_cut_by_the_range() {
    JsonNode d = dashboard(ADMIN, "from=2031-05-01&to=2031-05-07&granularity=week");
    JsonNode series = d.get("gmv").get("series");
    assertThat(series.size()).isEqualTo(2);
    assertThat(series.get(0).get("period").asString()).isEqualTo("2031-05-01"); // Thursday
    assertThat(series.get(0).get("orders").asLong()).isEqualTo(3);
    assertThat(series.get(0).get("paidFen").asLong()).isEqualTo(35_000);
    assertThat(series.get(1).get("period").asString()).isEqualTo("2031-05-05"); // Monday
    assertThat(series.get(1).get("paidFen").asLong()).isEqualTo(3_000);
    assertThat(d.get("members").get("series").get(1).get("total").asLong()).isEqualTo(3);
  }

  @Test
  void the_default_range_is_the_last_30_local_days() {
    JsonNode d = dashboard(ADMIN, "");
    assertThat(d.get("to").asString()).isEqualTo("2031-05-10");
    assertThat(d.get("from").asString()).isEqualTo("2031-04-11");
    assertThat(d.get("gmv").get("paidFen").asLong()).isEqualTo(38_000 + 7_000 + 999);
  }

  @Test
  void a_user_limited_to_one_channel_sees_only_that_channel() {
    Http.Response login = http.post("/api/v1/auth/login", null, "{\"username\":\"jd-analyst\",\"password\":\"password-123\"}");
    String scoped = Http.bearer(login.json().get("token").asString());
    JsonNode d = dashboard(scoped, "from=2031-05-01&to=2031-05-07");
    assertThat(d.get("gmv").get("paidFen").asLong()).isEqualTo(23_000);
    assertThat(d.get("gmv").get("byChannel").size()).isEqualTo(1);
    assertThat(d.get("members").get("before").asLong()).isZero();
    assertThat(d.get("members").get("total").asLong()).isEqualTo(1);
    assertThat(d.get("membership").get("memberFen").asLong()).isEqualTo(20_000);
    assertThat(d.get("membership").get("otherFen").asLong()).isEqualTo(3_000);
    assertThat(d.get("tiers").get(0).get("members").asLong()).isEqualTo(1);
    assertThat(d.get("tiers").get(1).get("members").asLong()).isZero();
  }

  @Test
  void bad_parameters_are_refused_naming_the_field() {
    assertProblem("from=2031-05-07&to=2031-05-01", "to");
    assertProblem("from=May&to=2031-05-01", "from");
    assertProblem("from=2030-01-01&to=2031-05-01", "to");
    assertProblem("granularity=month", "granularity");
    assertProblem("program=nope", "program");
  }

  private void assertProblem(String query, String field) {
    Http.Response r = http.get("/api/v1/analytics/dashboard?" + query, ADMIN);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(r.json().get("field").asString()).isEqualTo(field);
  }

  private JsonNode dashboard(String auth, String query) {
    Http.Response r = http.get("/api/v1/analytics/dashboard?" + query, auth);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private void order(long n, String channel, long paidFen, String paidAt, long refundedFen) {
    OffsetDateTime now = OffsetDateTime.parse("2031-05-10T00:00:00Z");
    Map<String, Object> p = new HashMap<>();
    p.put("channel", channel);
    p.put("no", "A" + n);
    p.put("status", paidAt == null ? "CREATED" : "PAID");
    p.put("paid", paidAt == null ? null : paidFen);
    p.put("paidAt", ts(paidAt));
    p.put("refunded", refundedFen);
    p.put("now", now);
    jdbc.sql("INSERT INTO commerce_order (id, channel, shop_id, platform_order_id, status, paid_fen, refunded_fen, created_at, paid_at,"
            + " modified_at, first_seen_at, updated_at) VALUES (:id, :channel, 'shop', :no, :status, :paid, :refunded, :now, :paidAt, :now, :now, :now)")
        .params(p).param("id", n).update();
  }

  private void account(int person, int tier, String joinedAt, String channel) {
    OffsetDateTime joined = ts(joinedAt);
    jdbc.sql("INSERT INTO loyalty_account (program_id, person_id, available, pending, growth, tier, tier_floor, tier_since, next_review_at,"
            + " joined_at, change_seq, updated_at) VALUES (?, ?, 0, 0, 0, ?, 1, ?, ?, ?, 0, ?)")
        .params(programId, person, tier, joined, joined.plusYears(1), joined, joined).update();
    if (channel != null) {
      jdbc.sql("INSERT INTO loyalty_member (program_id, person_id, joined_at, join_channel, join_shop) VALUES (?, ?, ?, ?, 'shop')")
          .params(programId, person, joined, channel).update();
    }
  }

  private void loyaltyOrder(long n, String channel, Integer person, long paidFen, String paidAt) {
    jdbc.sql("INSERT INTO loyalty_order (commerce_order_id, channel, shop_id, platform_order_id, buyers_enc, paid_fen, paid_at, person_id,"
            + " first_seen_at) VALUES (?, ?, 'shop', ?, 'x', ?, ?, ?, ?)")
        .params(n, channel, "A" + n, paidFen, ts(paidAt), person, ts(paidAt)).update();
  }

  private static OffsetDateTime ts(String instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(Instant.parse(instant), ZoneOffset.UTC);
  }
}
