package io.pond.profile;

import static io.pond.support.Http.basic;
import static io.pond.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.graph.GraphRebuild;
import io.pond.platform.storage.DuckDbStore;
import io.pond.profile.metrics.Metrics;
import io.pond.support.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Customer 360 over real HTTP: traits, consents, metrics from orders, merges, timeline, export and erasure. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=profile-admin-pw", "POND_WRITE_KEY=profile_test_write_key_01",
        "pond.profile.job-enabled=false", "pond.loyalty.jobs.enabled=false"})
@Import(ProfileApiTest.Recorder.class)
class ProfileApiTest {

  /** Every ProfileChanged published, as the segment module would receive it. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Recorder {
    final List<ProfileChanged> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void on(ProfileChanged e) {
      seen.add(e);
    }
  }

  @Autowired Recorder recorder;
  @Autowired GraphRebuild rebuild;

  static final String ADMIN = basic("admin", "profile-admin-pw");
  static final String WRITE = basic("profile_test_write_key_01", "");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired Metrics metrics;
  Http http;
  String viewer;
  String operator;

  @BeforeEach
  void clients() {
    http = new Http(port);
    viewer = key("viewer");
    operator = key("operator");
  }

  String key(String role) {
    return bearer(http.post("/api/v1/keys", ADMIN, "{\"kind\":\"server\",\"name\":\"" + role + "\",\"role\":\"" + role + "\"}")
        .json().get("secret").asString());
  }

  /** A new person holding a login id (and a phone when given); answers its id. */
  int person(String login, String phone) {
    String ids = "{\"type\":\"login_id\",\"value\":\"" + login + "\"}"
        + (phone == null ? "" : ",{\"type\":\"phone\",\"value\":\"" + phone + "\"}");
    Http.Response r = http.post("/api/v1/identity/evidence", operator, "{\"identifiers\":[" + ids + "]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("personId").asInt();
  }

  @Autowired DuckDbStore duckDb;

  /** The files under a directory whose bytes hold the text (UTF-8). */
  static List<Path> filesContaining(Path dir, String text) {
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
      return files.filter(java.nio.file.Files::isRegularFile).filter(f -> {
        try {
          return new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1)
              .contains(new String(needle, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (java.io.IOException e) {
          return false; // deleted while walking
        }
      }).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 20 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  Http.Response order(String channel, String orderId, String status, long paidFen, String createdAt, String buyers,
      String lines, String refunds) {
    String body = "{\"channel\":\"" + channel + "\",\"shopId\":\"s1\",\"orderId\":\"" + orderId + "\",\"status\":\"" + status
        + "\",\"modifiedAt\":\"" + Instant.parse(createdAt).plusSeconds(60 + (refunds == null ? 0 : 600)) + "\",\"paidFen\":" + paidFen
        + ",\"createdAt\":\"" + createdAt + "\""
        + (status.equals("CREATED") || status.equals("CANCELLED") ? "" : ",\"paidAt\":\"" + Instant.parse(createdAt).plusSeconds(30) + "\"")
        + ",\"buyers\":" + buyers + (lines == null ? "" : ",\"lines\":" + lines) + (refunds == null ? "" : ",\"refunds\":" + refunds)
        + "}";
    Http.Response r = http.post("/api/v1/orders", ADMIN, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r;
  }

  static String login(String login) {
    return "[{\"type\":\"login_id\",\"value\":\"" + login + "\"}]";
  }

  JsonNode metricsOf(int person) {
    Http.Response r = http.get("/api/v1/persons/" + person + "/metrics", ADMIN);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  long metric(int person, String name) {
    JsonNode v = metricsOf(person).get("metrics").get(name);
    return v == null || v.isNull() ? -1 : v.asLong();
  }

  // ---- traits -----------------------------------------------------------------------------------

  @Test
  void traits_follow_source_precedence_and_personal_ones_are_encrypted_and_masked_for_non_admins() {
    int p = person("t-" + unique(), null);
    Http.Response set = http.put("/api/v1/persons/" + p + "/traits", operator,
        "{\"source\":\"crm_import\",\"observedAt\":\"2026-01-01T00:00:00Z\",\"traits\":{\"city\":\"上海\",\"phone\":\"13800138000\","
            + "\"name\":\"张三丰\"}}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);

    Http.Response lower = http.put("/api/v1/persons/" + p + "/traits", operator,
        "{\"source\":\"channel\",\"observedAt\":\"2026-06-01T00:00:00Z\",\"traits\":{\"city\":\"北京\"}}");
    assertThat(lower.json().get("outcomes").get(0).get("applied").asBoolean()).isFalse();
    assertThat(lower.json().get("outcomes").get(0).get("reason").asString()).isEqualTo("lower_precedence:crm_import");

    Http.Response older = http.put("/api/v1/persons/" + p + "/traits", operator,
        "{\"source\":\"crm_import\",\"observedAt\":\"2025-12-01T00:00:00Z\",\"traits\":{\"city\":\"杭州\"}}");
    assertThat(older.json().get("outcomes").get(0).get("reason").asString()).isEqualTo("not_newer");

    Http.Response higher = http.put("/api/v1/persons/" + p + "/traits", operator,
        "{\"source\":\"member\",\"observedAt\":\"2025-01-01T00:00:00Z\",\"traits\":{\"city\":\"深圳\"}}");
    assertThat(higher.json().get("outcomes").get(0).get("applied").asBoolean()).isTrue();

    assertThat(recorder.seen.stream().filter(e -> e.personId() == p).map(ProfileChanged::traits).toList())
        .contains(Map.of("city", "上海", "phone", "138****8000", "name", "张**"), Map.of("city", "深圳"))
        .doesNotContain(Map.of("city", "北京")); // personal values are published masked: the registry stores events
    String masked = http.get("/api/v1/persons/" + p + "/traits", viewer).body();
    assertThat(masked).contains("深圳", "138****8000", "张**").doesNotContain("13800138000", "张三丰");
    String clear = http.get("/api/v1/persons/" + p + "/traits", ADMIN).body();
    assertThat(clear).contains("13800138000", "张三丰");
    List<String> stored = jdbc.sql("SELECT COALESCE(value_plain, value_enc) FROM profile_trait WHERE person_id = ?").param(p)
        .query(String.class).list();
    assertThat(String.join(" ", stored)).contains("深圳").doesNotContain("13800138000", "张三丰");
    assertThat(String.join(" ", jdbc.sql("SELECT COALESCE(value_plain, value_enc) FROM profile_trait_change WHERE person_id = ?")
        .param(p).query(String.class).list())).doesNotContain("13800138000");

    // personal whatever the spelling: Segment's camelCase, a name ending with a personal one
    Http.Response spelled = http.put("/api/v1/persons/" + p + "/traits", operator,
        "{\"source\":\"crm_import\",\"observedAt\":\"2026-01-02T00:00:00Z\",\"traits\":{\"firstName\":\"Zoë\","
            + "\"receiverPhone\":\"13900139000\",\"LastName\":\"Lee\",\"tier_name\":\"gold\"}}");
    assertThat(spelled.status()).as(spelled.body()).isEqualTo(200);
    String spelledStored = String.join(" ", jdbc.sql("SELECT COALESCE(value_plain, value_enc) FROM profile_trait WHERE person_id = ?")
        .param(p).query(String.class).list());
    assertThat(spelledStored).contains("gold").doesNotContain("Zoë", "13900139000", "Lee");
    assertThat(http.get("/api/v1/persons/" + p + "/traits", viewer).body()).contains("139****9000", "gold")
        .doesNotContain("Zoë", "13900139000");

    Http.Response forbidden = http.put("/api/v1/persons/" + p + "/traits", viewer, "{\"traits\":{\"city\":\"x\"}}");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.contentType()).contains("problem+json");
    Http.Response badSource = http.put("/api/v1/persons/" + p + "/traits", operator, "{\"source\":\"rumour\",\"traits\":{\"a\":\"b\"}}");
    assertThat(badSource.code()).isEqualTo("validation_failed");
    assertThat(badSource.json().get("field").asString()).isEqualTo("source");
    assertThat(http.get("/api/v1/persons/999999/traits", viewer).code()).isEqualTo("not_found");
  }

  @Test
  void identify_events_set_traits_with_the_event_source() {
    String login = "seg-" + unique();
    Http.Response sent = http.post("/v1/identify", WRITE,
        "{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + login + "\",\"traits\":{\"gender\":\"female\",\"age\":31,"
            + "\"email\":\"li@example.com\",\"address\":{\"city\":\"上海\"}}}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    eventually(() -> http.get("/api/v1/persons/lookup?type=login_id&value=" + login, ADMIN).status() == 200
        && http.get("/api/v1/persons/" + http.get("/api/v1/persons/lookup?type=login_id&value=" + login, ADMIN).json()
            .get("personId").asInt() + "/traits", ADMIN).body().contains("female"));
    int p = http.get("/api/v1/persons/lookup?type=login_id&value=" + login, ADMIN).json().get("personId").asInt();
    JsonNode traits = http.get("/api/v1/persons/" + p + "/traits", viewer).json();
    assertThat(traits.valueStream().map(t -> t.get("name").asString() + "=" + t.get("value").asString() + "/" + t.get("source").asString()))
        .contains("gender=female/event", "age=31/event", "email=l***@example.com/event");
    assertThat(http.get("/api/v1/persons/" + p + "/traits", ADMIN).body()).contains("{\\\"city\\\":\\\"上海\\\"}");

    // an operator's value is not overwritten by a later event
    http.put("/api/v1/persons/" + p + "/traits", operator, "{\"traits\":{\"gender\":\"male\"}}");
    http.post("/v1/identify", WRITE, "{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + login
        + "\",\"traits\":{\"gender\":\"female\",\"plan\":\"gold\"}}");
    eventually(() -> http.get("/api/v1/persons/" + p + "/traits", viewer).body().contains("gold"));
    assertThat(http.get("/api/v1/persons/" + p + "/traits", viewer).body()).contains("\"male\"").doesNotContain("female");
  }

  // ---- consents ---------------------------------------------------------------------------------

  @Test
  void consents_keep_their_whole_history_and_the_latest_decision_counts() {
    int p = person("c-" + unique(), null);
    assertThat(http.post("/api/v1/persons/" + p + "/consents", operator,
        "{\"purpose\":\"sms\",\"granted\":true,\"source\":\"member_center\",\"occurredAt\":\"2026-01-01T00:00:00Z\"}").status())
        .isEqualTo(200);
    http.post("/api/v1/persons/" + p + "/consents", operator,
        "{\"purpose\":\"sms\",\"granted\":false,\"source\":\"console\",\"occurredAt\":\"2026-02-01T00:00:00Z\",\"note\":\"called in\"}");
    // reported late: joins the history, does not override the newer withdrawal
    JsonNode late = http.post("/api/v1/persons/" + p + "/consents", operator,
        "{\"purpose\":\"sms\",\"granted\":true,\"source\":\"taobao\",\"occurredAt\":\"2026-01-15T00:00:00Z\"}").json();
    assertThat(late.get("granted").get("sms").asBoolean()).isFalse();
    assertThat(late.get("granted").get("marketing").asBoolean()).isFalse();
    assertThat(late.get("history")).hasSize(3);
    assertThat(late.get("history").get(2).get("note").asString()).isEqualTo("called in");
    assertThat(late.get("history").get(2).get("actor").asString()).startsWith("key:");

    http.post("/api/v1/persons/" + p + "/consents", operator, "{\"purpose\":\"wechat\",\"granted\":true}");
    JsonNode now = http.get("/api/v1/persons/" + p + "/consents", viewer).json();
    assertThat(recorder.seen.stream().filter(e -> e.personId() == p).map(ProfileChanged::consents).toList())
        .containsExactly(Map.of("sms", true), Map.of("sms", false), Map.of("wechat", true)); // the late one changed nothing
    assertThat(now.get("granted").get("wechat").asBoolean()).isTrue();

    Http.Response bad = http.post("/api/v1/persons/" + p + "/consents", operator, "{\"purpose\":\"telepathy\",\"granted\":true}");
    assertThat(bad.code()).isEqualTo("validation_failed");
    assertThat(bad.json().get("field").asString()).isEqualTo("purpose");
    assertThat(http.post("/api/v1/persons/" + p + "/consents", viewer, "{\"purpose\":\"sms\",\"granted\":true}").status())
        .isEqualTo(403);
  }

  // ---- metrics ----------------------------------------------------------------------------------

  @Test
  void order_events_keep_metrics_current_and_a_recompute_from_stored_orders_gives_the_same() {
    String u = "m-" + unique();
    int p = person(u, null);
    order("taobao", u + "-1", "PAID", 10_000, "2026-01-10T02:00:00Z", login(u),
        "[{\"sku\":\"t1\",\"category\":\"tea\",\"quantity\":1,\"unitPriceFen\":10000}]", null);
    order("jd", u + "-2", "COMPLETED", 30_000, "2026-02-10T02:00:00Z", login(u),
        "[{\"sku\":\"c1\",\"category\":\"cups\",\"quantity\":2,\"unitPriceFen\":15000}]",
        "[{\"refundId\":\"r1\",\"state\":\"REFUNDED\",\"amountFen\":15000}]");
    order("jd", u + "-3", "CANCELLED", 50_000, "2026-03-10T02:00:00Z", login(u), null, null); // never paid
    order("taobao", u + "-4", "PAID", 20_000, "2026-03-20T02:00:00Z", login(u),
        "[{\"sku\":\"c2\",\"category\":\"cups\",\"quantity\":1,\"unitPriceFen\":20000}]", null);
    // a late, repeated message about order 1 changes nothing
    order("taobao", u + "-1", "PAID", 10_000, "2026-01-10T02:00:00Z", login(u), null, null);

    eventually(() -> metric(p, "order_count") == 3 && metric(p, "refunded_fen") == 15_000);
    JsonNode m = metricsOf(p);
    ProfileChanged latest = recorder.seen.stream().filter(e -> e.personId() == p && e.metrics().containsKey("refunded_fen"))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(latest.metrics()).containsEntry("refunded_fen", 15_000L);
    assertThat(recorder.seen.stream().filter(e -> e.personId() == p).flatMap(e -> e.traits().entrySet().stream())
        .filter(t -> t.getKey().equals("favourite_category")).map(Map.Entry::getValue).toList()).contains("tea", "cups");
    assertThat(m.get("metrics").get("spend_fen").asLong()).isEqualTo(60_000);
    assertThat(m.get("metrics").get("aov_fen").asLong()).isEqualTo(20_000);
    assertThat(m.get("metrics").get("refund_rate_permille").asLong()).isEqualTo(250);
    assertThat(m.get("metrics").get("first_order_day").asLong()).isEqualTo(java.time.LocalDate.of(2026, 1, 10).toEpochDay());
    assertThat(m.get("favouriteChannel").asString()).isEqualTo("taobao");
    assertThat(m.get("favouriteCategory").asString()).isEqualTo("cups");
    assertThat(m.get("metrics").get("rfm_f").asLong()).isEqualTo(3);
    assertThat(m.get("metrics").get("clv_fen").asLong()).isGreaterThanOrEqualTo(45_000);

    List<Map<String, Object>> live = snapshot();
    metrics.recomputeAll(n -> {}, n -> {});
    assertThat(snapshot()).isEqualTo(live);
    // from nothing: the profile's order and metric tables rebuilt from commerce alone
    jdbc.sql("DELETE FROM profile_order_category").update();
    jdbc.sql("DELETE FROM profile_refund").update();
    jdbc.sql("DELETE FROM profile_order").update();
    jdbc.sql("DELETE FROM profile_metrics").update();
    metrics.recomputeAll(n -> {}, n -> {});
    assertThat(snapshot()).isEqualTo(live);
  }

  List<Map<String, Object>> snapshot() {
    return jdbc.sql("SELECT person_id, order_count, spend_fen, refunded_fen, aov_fen, refund_rate_permille, first_order_day,"
            + " last_order_day, recency_days, rfm_r, rfm_f, rfm_m, clv_fen, favourite_channel, favourite_category"
            + " FROM profile_metrics ORDER BY person_id")
        .query().listOfRows();
  }

  @Test
  void metrics_follow_a_merge_and_a_split() {
    String a = "ma-" + unique();
    String b = "mb-" + unique();
    int pa = person(a, null);
    int pb = person(b, null);
    order("doudian", a + "-1", "PAID", 10_000, "2026-04-01T02:00:00Z", login(a), null, null);
    order("kuaishou", b + "-1", "PAID", 30_000, "2026-04-02T02:00:00Z", login(b), null, null);
    http.put("/api/v1/persons/" + pb + "/traits", operator, "{\"traits\":{\"city\":\"成都\"}}");
    eventually(() -> metric(pa, "order_count") == 1 && metric(pb, "order_count") == 1);

    Http.Response merged = http.post("/api/v1/persons/merge", operator, "{\"personIds\":[" + pa + "," + pb + "]}");
    assertThat(merged.status()).as(merged.body()).isEqualTo(200);
    int survivor = merged.json().get("personId").asInt();
    int gone = survivor == pa ? pb : pa;
    eventually(() -> metric(survivor, "order_count") == 2);
    assertThat(metric(survivor, "spend_fen")).isEqualTo(40_000);
    eventually(() -> http.get("/api/v1/persons/" + survivor + "/traits", viewer).body().contains("成都"));
    // the merged-away id answers its survivor
    assertThat(http.get("/api/v1/persons/" + gone + "/metrics", ADMIN).json().get("personId").asInt()).isEqualTo(survivor);

    Http.Response split = http.post("/api/v1/persons/" + survivor + "/split", operator, "{}");
    assertThat(split.status()).as(split.body()).isEqualTo(200);
    int restored = split.json().get("restored").asInt();
    eventually(() -> metric(survivor, "order_count") == 1 && metric(restored, "order_count") == 1);
    assertThat(metric(pb, "spend_fen")).isEqualTo(30_000);
    eventually(() -> http.get("/api/v1/persons/" + pb + "/traits", viewer).body().contains("成都"));
    assertThat(http.get("/api/v1/persons/" + pa + "/traits", viewer).body()).doesNotContain("成都");
  }

  // ---- timeline ---------------------------------------------------------------------------------

  @Test
  void the_timeline_merges_events_orders_refunds_consents_and_trait_changes_newest_first() {
    String u = "tl-" + unique();
    int p = person(u, null);
    order("youzan", u + "-1", "COMPLETED", 8_800, "2026-05-01T02:00:00Z", login(u), null,
        "[{\"refundId\":\"r9\",\"state\":\"REFUNDED\",\"amountFen\":800}]");
    http.post("/api/v1/persons/" + p + "/consents", operator, "{\"purpose\":\"marketing\",\"granted\":true,\"occurredAt\":\"2026-05-03T00:00:00Z\"}");
    http.put("/api/v1/persons/" + p + "/traits", operator, "{\"traits\":{\"phone\":\"13900139000\"}}");
    http.post("/v1/track", WRITE, "{\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + u + "\",\"event\":\"Viewed Product\","
        + "\"timestamp\":\"2026-05-02T00:00:00Z\"}");
    eventually(() -> http.get("/api/v1/persons/" + p + "/timeline", viewer).json().get("items").size() >= 5);

    JsonNode page = http.get("/api/v1/persons/" + p + "/timeline?size=50", viewer).json();
    List<String> kinds = page.get("items").valueStream().map(i -> i.get("kind").asString()).toList();
    assertThat(kinds).contains("order", "refund", "consent", "trait", "event");
    List<Instant> times = page.get("items").valueStream().map(i -> Instant.parse(i.get("at").asString())).toList();
    assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(page.toString()).contains("139****9000").doesNotContain("13900139000");

    JsonNode first = http.get("/api/v1/persons/" + p + "/timeline?size=2", viewer).json();
    JsonNode second = http.get("/api/v1/persons/" + p + "/timeline?size=2&page=1", viewer).json();
    assertThat(first.get("more").asBoolean()).isTrue();
    assertThat(List.of(first.get("items").get(0).get("at").asString(), first.get("items").get(1).get("at").asString(),
        second.get("items").get(0).get("at").asString()))
        .containsExactly(page.get("items").get(0).get("at").asString(), page.get("items").get(1).get("at").asString(),
            page.get("items").get(2).get("at").asString());
    assertThat(http.get("/api/v1/persons/" + p + "/timeline?kinds=order", viewer).json().get("items").valueStream()
        .allMatch(i -> i.get("kind").asString().equals("order"))).isTrue();
    assertThat(http.get("/api/v1/persons/" + p + "/timeline?kinds=gossip", viewer).json().get("field").asString()).isEqualTo("kinds");

    JsonNode paths = http.get("/v3/api-docs", null).json().get("paths");
    for (String path : List.of("profile", "traits", "consents", "metrics", "timeline", "export", "erasure")) {
      assertThat(paths.has("/api/v1/persons/{id}/" + path)).as(path).isTrue();
    }
  }

  // ---- PII: export and erasure ------------------------------------------------------------------

  @Test
  void erasure_removes_personal_data_everywhere_and_keeps_points_and_aggregates_under_a_pseudonym() {
    String u = "e-" + unique();
    String phone = "1390013" + String.format("%04d", Math.abs(u.hashCode()) % 10_000);
    int p = person(u, phone);
    http.put("/api/v1/persons/" + p + "/traits", operator, "{\"traits\":{\"name\":\"王小明\",\"gender\":\"male\"}}");
    order("native", u + "-1", "COMPLETED", 12_300, "2026-05-05T02:00:00Z",
        "[{\"type\":\"phone\",\"value\":\"" + phone + "\"}]", "[{\"sku\":\"x\",\"category\":\"tea\",\"quantity\":1,\"unitPriceFen\":12300}]",
        null);
    String program = "p" + unique();
    assertThat(http.post("/api/v1/loyalty/programs", ADMIN, "{\"code\":\"" + program + "\",\"config\":{\"refundPolicy\":\"within_balance\"}}")
        .status()).isEqualTo(201);
    Http.Response adjusted = http.post("/api/v1/loyalty/programs/" + program + "/members/" + p + "/adjustments", ADMIN,
        "{\"idempotencyKey\":\"e-" + u + "\",\"points\":77,\"reason\":\"welcome\"}");
    assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(200);
    eventually(() -> metric(p, "order_count") == 1);
    // raw events: one with the phone among its identifiers and a name in its traits, one with an
    // address in its properties, and a refused record holding the phone (a dead letter)
    String withPhone = "{\"batch\":[{\"type\":\"identify\",\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + u
        + "\",\"traits\":{\"name\":\"王小明\"},\"context\":{\"ip\":\"10.1.2.3\",\"externalIds\":[{\"id\":\"" + phone
        + "\",\"type\":\"phone\",\"collection\":\"users\"}]}},{\"type\":\"track\",\"messageId\":\"" + UUID.randomUUID()
        + "\",\"userId\":\"" + u + "\",\"event\":\"Checkout\",\"properties\":{\"address\":\"长宁路 88 号\"}},"
        + "{\"type\":\"track\",\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\"" + u + "\",\"properties\":{\"tel\":\""
        + phone + "\"}}]}";
    Http.Response refused = http.post("/api/v1/orders", ADMIN, "{\"channel\":\"native\",\"shopId\":\"s1\",\"orderId\":\"" + u
        + "-bad\",\"status\":\"SOLD\",\"buyers\":[{\"type\":\"phone\",\"value\":\"" + phone + "\"}]}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(http.get("/api/v1/orders/dead-letters?channel=native&limit=200", ADMIN).body()).contains(phone);
    Http.Response sent = http.post("/v1/batch", WRITE, withPhone);
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(http.get("/api/v1/events?type=login_id&value=" + u, ADMIN).body()).contains(phone, "王小明", "长宁路");
    assertThat(http.get("/api/v1/ingest/dead-letters?size=500", ADMIN).body()).contains(phone);
    Path eventLog = duckDb.file().toAbsolutePath().resolveSibling("event-log");
    assertThat(filesContaining(eventLog, phone)).as("sealed in the log's files (docs/ingest.md#personal-data)").isEmpty();
    // a message to the person (a member center sign-in code): on the timeline, its secret body not
    assertThat(http.post("/api/v1/member/auth/code", null, "{\"phone\":\"" + phone + "\"}").status()).isEqualTo(202);
    JsonNode messages = http.get("/api/v1/persons/" + p + "/timeline?kinds=message", viewer).json().get("items");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).get("detail").get("purpose").asString()).isEqualTo("member_sign_in_code");
    JsonNode body = messages.get(0).get("detail").path("body");
    assertThat(body.isMissingNode() || body.isNull()).as(messages.toString()).isTrue();
    assertThat(messages.get(0).get("detail").get("recipient").asString()).doesNotContain(phone);
    long messageId = messages.get(0).get("detail").get("messageId").asLong();
    JsonNode metricsBefore = metricsOf(p).get("metrics");
    long pointsBefore = http.get("/api/v1/loyalty/programs/" + program + "/members/" + p, ADMIN).json().get("available").asLong();
    assertThat(pointsBefore).isEqualTo(77);

    eventually(() -> http.get("/api/v1/persons/" + p + "/timeline?kinds=points", viewer).json().get("items").size() == 1);
    assertThat(http.get("/api/v1/persons/" + p + "/timeline?kinds=points", viewer).json().get("items").get(0).get("detail")
        .get("points").asLong()).isEqualTo(77);

    // export before: everything, in clear, admins only
    assertThat(http.get("/api/v1/persons/" + p + "/export", operator).status()).isEqualTo(403);
    JsonNode before = http.get("/api/v1/persons/" + p + "/export", ADMIN).json();
    assertThat(before.toString()).contains(phone, "王小明", u + "-1");
    assertThat(before.get("orders")).hasSize(1);
    assertThat(before.get("points").get(0).get("points").asLong()).isEqualTo(77);

    assertThat(http.post("/api/v1/persons/" + p + "/erasure", operator, "{}").status()).isEqualTo(403);
    Http.Response erased = http.post("/api/v1/persons/" + p + "/erasure", ADMIN, "{\"reason\":\"ticket 7\"}");
    assertThat(erased.status()).as(erased.body()).isEqualTo(200);
    String pseudonym = erased.json().get("pseudonym").asString();
    assertThat(pseudonym).startsWith("anon-");
    assertThat(erased.json().get("identifiersErased").asInt()).isEqualTo(1);

    // nobody finds the person by the old phone any more; the other identifier still leads to it
    assertThat(http.get("/api/v1/persons/lookup?type=phone&value=" + phone, ADMIN).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/persons/lookup?type=login_id&value=" + u, ADMIN).json().get("personId").asInt()).isEqualTo(p);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM identity_identifier WHERE person_id = ? AND value_enc IS NOT NULL").param(p)
        .query(Integer.class).single()).isZero();
    // the order keeps its money, loses its contact data
    long orderId = jdbc.sql("SELECT order_id FROM profile_order WHERE person_id = ?").param(p).query(Long.class).single();
    JsonNode stored = http.get("/api/v1/orders/" + orderId, ADMIN).json();
    assertThat(stored.toString()).doesNotContain(phone).contains(pseudonym);
    assertThat(stored.toString()).contains("12300");
    // the events keep their type, name and non-personal identifiers, and lose the rest; the log file
    // that held their raw frames is gone, and so is the refused record's copy of the phone
    JsonNode events = http.get("/api/v1/events?type=login_id&value=" + u, ADMIN).json();
    assertThat(events.toString()).doesNotContain(phone).doesNotContain("王小明").doesNotContain("长宁路").doesNotContain("10.1.2.3");
    assertThat(events.findValuesAsString("event")).contains("Checkout");
    assertThat(events.toString()).contains("erased:" + pseudonym);
    assertThat(http.get("/api/v1/events?type=phone&value=" + phone, ADMIN).body()).doesNotContain(u);
    assertThat(http.get("/api/v1/ingest/dead-letters?size=500", ADMIN).body()).doesNotContain(phone);
    assertThat(filesContaining(eventLog, phone)).isEmpty();
    assertThat(http.get("/api/v1/orders/dead-letters?channel=native&limit=200", ADMIN).body()).doesNotContain(phone)
        .contains(pseudonym);
    assertThat(erased.json().get("eventsScrubbed").asLong()).isEqualTo(2);
    // the message keeps its channel and purpose, loses its recipient and body
    assertThat(jdbc.sql("SELECT recipient_masked FROM message_outbox WHERE id = ?").param(messageId).query(String.class).single())
        .isEqualTo(pseudonym);
    assertThat(http.get("/api/v1/messages?limit=200", ADMIN).json().get("items").valueStream()
        .filter(m -> m.get("id").asLong() == messageId).findFirst().orElseThrow().toString()).contains(pseudonym).contains("(erased)");
    // ledger and aggregates unchanged
    assertThat(http.get("/api/v1/loyalty/programs/" + program + "/members/" + p, ADMIN).json().get("available").asLong())
        .isEqualTo(pointsBefore);
    assertThat(metricsOf(p).get("metrics")).isEqualTo(metricsBefore);
    // traits gone, every purpose withdrawn
    assertThat(http.get("/api/v1/persons/" + p + "/traits", ADMIN).json()).isEmpty();
    assertThat(http.get("/api/v1/persons/" + p + "/consents", ADMIN).json().get("granted").get("marketing").asBoolean()).isFalse();

    JsonNode after = http.get("/api/v1/persons/" + p + "/export", ADMIN).json();
    assertThat(after.get("pseudonym").asString()).isEqualTo(pseudonym);
    assertThat(after.toString()).doesNotContain(phone).doesNotContain("王小明");
    assertThat(after.get("orders").get(0).get("paidFen").asLong()).isEqualTo(12_300);
    assertThat(after.get("metrics").get("orderCount").asInt()).isEqualTo(1);

    // a full identity rebuild replays the evidence log: the old phone stays gone
    rebuild.rebuild("test", n -> {});
    assertThat(http.get("/api/v1/persons/lookup?type=phone&value=" + phone, ADMIN).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/persons/lookup?type=login_id&value=" + u, ADMIN).json().get("personId").asInt()).isEqualTo(p);

    List<String> audit = jdbc.sql("SELECT action FROM audit_log WHERE target = ?").param("person " + p).query(String.class).list();
    assertThat(audit).contains("profile.person.exported", "profile.person.erased", "identity.identifiers.erased");

    // again: harmless, same pseudonym
    assertThat(http.post("/api/v1/persons/" + p + "/erasure", ADMIN, "{}").json().get("pseudonym").asString()).isEqualTo(pseudonym);
  }
}
