package io.pond.segment;

import static io.pond.support.Http.basic;
import static io.pond.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.pond.profile.ProfileChanged;
import io.pond.support.Http;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Tags, segments, exports and AIPL through real HTTP, with role checks (issue 8). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse", "pond.segment.jobs.enabled=false"})
class SegmentsApiTest {

  static final String ADMIN = basic("admin", "correct-horse");

  @LocalServerPort int port;
  @Autowired ApplicationEventPublisher events;
  @Autowired TransactionTemplate tx;
  @Autowired io.pond.segment.index.SegmentIndex index;
  @Autowired io.pond.segment.index.Facts facts;
  Http http;
  String analyst;
  String operator;
  String viewer;

  @BeforeEach
  void clients() {
    http = new Http(port);
    analyst = key("analyst");
    operator = key("operator");
    viewer = key("viewer");
  }

  String key(String role) {
    return bearer(http.post("/api/v1/keys", ADMIN, "{\"kind\":\"server\",\"name\":\"" + role + "\",\"role\":\"" + role + "\"}")
        .json().get("secret").asString());
  }

  int person(String login, String phone) {
    String ids = "[{\"type\":\"login_id\",\"value\":\"" + login + "\"}"
        + (phone == null ? "" : ",{\"type\":\"phone\",\"value\":\"" + phone + "\"}") + "]";
    Http.Response r = http.post("/api/v1/identity/evidence", ADMIN, "{\"identifiers\":" + ids + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("personId").asInt();
  }

  void profile(int person, String city, long spendFen, boolean sms) {
    tx.executeWithoutResult(s -> events.publishEvent(
        new ProfileChanged(person, Map.of("city", city), Map.of("spend_fen", spendFen), Map.of("sms", sms), Instant.now())));
  }

  static <T> T eventually(Supplier<T> value, java.util.function.Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    T v = value.get();
    while (!done.test(v) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      v = value.get();
    }
    return v;
  }

  @Test
  void a_segment_counts_overlaps_samples_and_exports_masked_or_hashed_pages() throws Exception {
    String run = Long.toString(System.nanoTime());
    List<Integer> shanghai = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int p = person("sa-" + run + "-" + i, "1380013" + run.substring(run.length() - 3) + i);
      profile(p, "上海" + run, 10_000L * (i + 1), i % 2 == 0);
      shanghai.add(p);
    }
    String inShanghai = "{\"trait\":\"city\",\"equals\":\"上海" + run + "\"}";
    String segment = "{\"code\":\"sh-" + run + "\",\"name\":\"Shanghai big spenders\",\"expression\":{\"and\":[" + inShanghai
        + ",{\"metric\":\"spend_fen\",\"gte\":20000}]}}";
    assertThat(http.post("/api/v1/segments", analyst, segment).status()).as("analysts read, they do not write").isEqualTo(403);
    Http.Response created = http.post("/api/v1/segments", operator, segment);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode view = eventually(() -> http.get("/api/v1/segments/sh-" + run, viewer).json(), v -> v.get("count").asInt() == 4);
    assertThat(view.get("count").asInt()).isEqualTo(4);

    String consenting = "{\"code\":\"sms-" + run + "\",\"expression\":{\"and\":[" + inShanghai + ",{\"consent\":\"sms\"}]}}";
    assertThat(http.post("/api/v1/segments", operator, consenting).status()).isEqualTo(201);
    JsonNode overlap = http.post("/api/v1/segments/overlap", viewer,
        "{\"segments\":[\"sh-" + run + "\",\"sms-" + run + "\"]}").json();
    assertThat(overlap.get("counts").get("sms-" + run).asInt()).isEqualTo(3);
    assertThat(overlap.get("pairs").get(0).get("both").asInt()).isEqualTo(2); // persons 2 and 4 (index 2, 4)
    assertThat(overlap.get("union").asInt()).isEqualTo(5);

    JsonNode sample = http.get("/api/v1/segments/sh-" + run + "/sample?size=2", analyst).json();
    assertThat(sample.get("sample").size()).isEqualTo(2);
    assertThat(http.get("/api/v1/segments/sh-" + run + "/sample?size=2", viewer).status()).isEqualTo(403);

    Http.Response page1 = http.get("/api/v1/segments/sh-" + run + "/export?limit=3", analyst);
    assertThat(page1.status()).as(page1.body()).isEqualTo(200);
    JsonNode rows = page1.json().get("rows");
    assertThat(rows.size()).isEqualTo(3);
    assertThat(rows.get(0).get("phone").asString()).matches("138\\*\\*\\*\\*\\d{4}");
    assertThat(page1.body()).doesNotContain("13800" + run.substring(run.length() - 3));
    int next = page1.json().get("nextAfter").asInt();
    Http.Response page2 = http.get("/api/v1/segments/sh-" + run + "/export?format=csv&phone=hashed&limit=3&after=" + next, analyst);
    assertThat(page2.contentType()).startsWith("text/csv");
    String[] lines = page2.body().split("\n");
    assertThat(lines).hasSize(2); // header and the fourth member
    assertThat(lines[1].split(",")[1]).hasSize(43); // HMAC-SHA256, base64url
    List<Integer> exported = new ArrayList<>();
    rows.forEach(r -> exported.add(r.get("personId").asInt()));
    exported.add(Integer.parseInt(lines[1].split(",")[0]));
    assertThat(exported).containsExactlyInAnyOrderElementsOf(shanghai.subList(1, 5));
    assertThat(http.get("/api/v1/segments/sh-" + run + "/export", viewer).status()).isEqualTo(403);
  }

  @Test
  void an_invalid_expression_is_refused_with_the_json_pointer_of_the_bad_node() {
    Http.Response r = http.post("/api/v1/segments", operator, """
        {"code":"bad","expression":{"and":[{"consent":"sms"},{"not":{"did":"product_viewed","atLeast":0,"inLastDays":7}}]}}""");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo("validation_failed");
    assertThat(r.json().get("field").asString()).isEqualTo("/expression/and/1/not/atLeast");
    Http.Response self = http.post("/api/v1/segments/preview", analyst, "{\"expression\":{\"segment\":\"nope\"}}");
    assertThat(self.json().get("field").asString()).isEqualTo("/expression/segment");
  }

  @Test
  void manual_tags_come_from_the_api_and_a_csv_file_with_history_and_rule_tags_follow_their_expression() throws Exception {
    String run = Long.toString(System.nanoTime());
    int a = person("ta-" + run, null);
    int b = person("tb-" + run, null);
    int c = person("tc-" + run, null);
    profile(c, "杭州" + run, 100, false); // known to the index (NOT is taken against the persons it knows)
    eventually(() -> http.post("/api/v1/segments/preview", analyst,
        "{\"expression\":{\"trait\":\"city\",\"equals\":\"杭州" + run + "\"}}").json().get("count").asInt(), n -> n == 1);
    assertThat(http.post("/api/v1/tags", operator, "{\"code\":\"vip-" + run + "\",\"kind\":\"manual\"}").status()).isEqualTo(201);
    JsonNode added = http.post("/api/v1/tags/vip-" + run + "/members", operator, "{\"personIds\":[" + a + "]}").json();
    assertThat(added.get("added").asInt()).isEqualTo(1);
    Http.Response imported = postCsv("/api/v1/tags/vip-" + run + "/members/import",
        "person\n" + a + "\nlogin_id,tb-" + run + "\nlogin_id,nobody-" + run + "\n");
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().get("added").asInt()).isEqualTo(1);
    assertThat(imported.json().get("alreadyTagged").asInt()).isEqualTo(1);
    assertThat(imported.json().get("rejected").get(0).get("line").asInt()).isEqualTo(4);

    assertThat(http.post("/api/v1/tags", operator, "{\"code\":\"not-vip-" + run + "\",\"kind\":\"rule\",\"expression\":{\"not\":{\"tag\":\"vip-"
        + run + "\"}}}").status()).isEqualTo(201);
    JsonNode rule = eventually(() -> http.get("/api/v1/tags/not-vip-" + run, viewer).json(), v -> v.get("members").asInt() > 0);
    JsonNode members = http.get("/api/v1/tags/not-vip-" + run + "/members?limit=10000", analyst).json();
    List<Integer> ids = new ArrayList<>();
    members.get("personIds").forEach(n -> ids.add(n.asInt()));
    assertThat(ids).contains(c).doesNotContain(a, b);
    assertThat(rule.get("kind").asString()).isEqualTo("rule");

    assertThat(http.post("/api/v1/tags/vip-" + run + "/members/remove", operator, "{\"personIds\":[" + a + "]}").json()
        .get("removed").asInt()).isEqualTo(1);
    JsonNode personTags = http.get("/api/v1/tags/persons/" + a, analyst).json();
    List<String> actions = new ArrayList<>();
    personTags.get("history").forEach(h -> {
      if (h.get("tag").asString().equals("vip-" + run)) {
        actions.add(h.get("action").asString());
      }
    });
    assertThat(actions).containsExactly("removed", "added");
    assertThat(http.post("/api/v1/tags/not-vip-" + run + "/members", operator, "{\"personIds\":[" + a + "]}").code())
        .isEqualTo("conflict");
  }

  @Test
  void aipl_stages_are_counted_and_snapshots_give_a_transition_matrix() {
    Http.Response now = http.get("/api/v1/aipl", viewer);
    assertThat(now.status()).isEqualTo(200);
    assertThat(now.json().get("counts").propertyNames()).containsExactly("aware", "interest", "purchase", "loyal");
    assertThat(http.post("/api/v1/aipl/snapshots", analyst, "{}").status()).isEqualTo(403);
    Http.Response snap = http.post("/api/v1/aipl/snapshots", operator, "{}");
    assertThat(snap.status()).as(snap.body()).isEqualTo(200);
    Http.Response flow = http.get("/api/v1/aipl/flow?from=2020-01-01", viewer);
    assertThat(flow.code()).isEqualTo("validation_failed");
    assertThat(flow.json().get("field").asString()).isEqualTo("from");
  }

  @Test
  void bounds_a_live_count_asks_again_get_bins_of_their_own_and_counts_do_not_change() throws Exception {
    // 20,000 persons known only to the index (enough for bins), values 0..19,999; removed at the end
    int base = 1_500_000_000;
    index.write(idx -> {
      for (int i = 0; i < 20_000; i++) {
        idx.metric(base + i, "pin_probe", (long) i);
      }
    });
    try {
      String preview = "{\"expression\":{\"metric\":\"pin_probe\",\"gte\":1234,\"lte\":5678}}";
      Supplier<List<Long>> pinned = () -> index.read(idx -> idx.pinnedBounds().get("pin_probe"));
      assertThat(pinned.get()).isNull();
      for (int edit = 0; edit < 2; edit++) { // a live count re-counts the expression at each edit
        Http.Response count = http.post("/api/v1/segments/preview", analyst, preview);
        assertThat(count.json().get("count").asLong()).as(count.body()).isEqualTo(5678 - 1234 + 1);
      }
      long until = System.nanoTime() + 10_000_000_000L;
      while (pinned.get() == null && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(pinned.get()).as("value >= 1234 and value < 5679")
          .containsExactlyInAnyOrder(1234L, 5679L);
      assertThat(http.post("/api/v1/segments/preview", analyst, preview).json().get("count").asLong()).isEqualTo(5678 - 1234 + 1);
    } finally {
      index.write(idx -> {
        for (int i = 0; i < 20_000; i++) {
          idx.remove(base + i);
        }
      });
    }
  }

  @Test
  void listeners_writing_the_same_new_facts_at_once_both_commit_and_the_later_write_wins() throws Exception {
    int person = 1_600_000_000;
    java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    var threads = java.util.concurrent.Executors.newFixedThreadPool(2); // the common pool may have one thread
    var first = java.util.concurrent.CompletableFuture.runAsync(() -> tx.executeWithoutResult(s -> {
      facts.put(person, io.pond.segment.index.Facts.TRAIT, "race", "first");
      facts.add(List.of(new io.pond.segment.index.Facts.Increment(person, io.pond.segment.index.Facts.DID, "race", 20_000, 1)));
      written.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }), threads);
    written.await();
    // the second transaction finds no row yet (the first has not committed) and inserts behind it
    var second = java.util.concurrent.CompletableFuture.runAsync(() -> tx.executeWithoutResult(s -> {
      facts.put(person, io.pond.segment.index.Facts.TRAIT, "race", "second");
      facts.add(List.of(new io.pond.segment.index.Facts.Increment(person, io.pond.segment.index.Facts.DID, "race", 20_000, 2)));
    }), threads);
    Thread.sleep(500);
    release.countDown();
    first.get(20, java.util.concurrent.TimeUnit.SECONDS);
    second.get(20, java.util.concurrent.TimeUnit.SECONDS);
    threads.shutdown();
    var stored = facts.of(person);
    assertThat(stored.traits()).containsEntry("race", "second");
    assertThat(stored.behaviour().get("race")).containsEntry(20_000, 3);
    tx.executeWithoutResult(s -> {
      facts.put(person, io.pond.segment.index.Facts.TRAIT, "race", null);
      facts.add(List.of(new io.pond.segment.index.Facts.Increment(person, io.pond.segment.index.Facts.DID, "race", 20_000, -3)));
    });
  }

  @Test
  void the_api_is_in_the_openapi_document() {
    String doc = http.get("/v3/api-docs", null).body();
    assertThat(doc).contains("/api/v1/segments/{code}/export", "/api/v1/tags/{code}/members/import", "/api/v1/aipl/flow");
  }

  Http.Response postCsv(String path, String csv) throws Exception {
    var response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
            .header("Content-Type", "text/csv").header("Authorization", operator)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    return new Http.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
  }
}
