package io.pond.ingest.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.platform.apikey.ApiKeys;
import io.pond.support.Http;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Issue #3 item 6: a per-source tracking plan, its violations counted, and block mode. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse", "POND_WRITE_KEY=plan_test_write_key_1"})
class TrackingPlanApiTest {

  static final String WRITER = Http.basic("plan_test_write_key_1", "");
  static final String ADMIN = Http.basic("admin", "correct-horse");

  static final String PLAN = """
      {"mode":"%s","events":[
        {"name":"Order Completed","allowOtherProperties":false,
         "properties":{"revenue":{"type":"number","required":true},"coupon":{"type":"string"}}},
        {"name":"Viewed"}]}
      """;

  @LocalServerPort int port;
  @Autowired ApiKeys keys;
  @Autowired ViolationCounts counts;
  Http http;
  long source;

  @BeforeEach
  void setUp() {
    http = new Http(port);
    source = keys.sources().stream().filter(s -> s.name().equals("default")).findFirst().orElseThrow().id();
  }

  String path() {
    return "/api/v1/ingest/sources/" + source + "/tracking-plan";
  }

  static String track(String event, String properties) {
    return "{\"type\":\"track\",\"event\":\"" + event + "\",\"anonymousId\":\"a1\",\"messageId\":\"" + UUID.randomUUID()
        + "\",\"properties\":" + properties + "}";
  }

  String batch(String... records) {
    return "{\"batch\":[" + String.join(",", records) + "]}";
  }

  @Test
  void a_plan_is_validated_stored_versioned_and_readable() {
    Http.Response bad = http.put(path(), ADMIN,
        "{\"events\":[{\"name\":\"X\",\"properties\":{\"p\":{\"type\":\"float\"}}}]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asString()).isEqualTo("events[0].properties.p.type");
    assertThat(http.put(path(), ADMIN, "{\"mode\":\"strict\",\"events\":[]}").json().get("field").asString()).isEqualTo("mode");
    assertThat(http.put(path(), ADMIN, "{\"events\":[{\"name\":\"A\"},{\"name\":\"A\"}]}").json().get("field").asString())
        .isEqualTo("events[1].name");
    assertThat(http.put("/api/v1/ingest/sources/999999/tracking-plan", ADMIN, PLAN.formatted("observe")).status()).isEqualTo(404);

    Http.Response first = http.put(path(), ADMIN, PLAN.formatted("observe"));
    assertThat(first.status()).isEqualTo(200);
    Http.Response second = http.put(path(), ADMIN, PLAN.formatted("block"));
    assertThat(second.json().get("version").asInt()).isEqualTo(first.json().get("version").asInt() + 1);
    JsonNode got = http.get(path(), ADMIN).json();
    assertThat(got.get("definition").get("mode").asString()).isEqualTo("block");
    assertThat(got.get("definition").get("events").get(0).get("properties").get("revenue").get("required").asBoolean()).isTrue();
    assertThat(got.get("definition").get("events").get(1).get("allowOtherProperties").asBoolean()).isTrue();
    assertThat(got.get("updatedBy").asString()).isEqualTo("user:admin");

    assertThat(http.send("DELETE", path(), ADMIN, "").status()).isEqualTo(204);
    assertThat(http.get(path(), ADMIN).status()).isEqualTo(404);
  }

  @Test
  void in_observe_mode_violations_are_counted_per_event_and_kind_and_the_records_are_stored() {
    assertThat(http.put(path(), ADMIN, PLAN.formatted("observe")).status()).isEqualTo(200);
    Http.Response r = http.post("/v1/batch", WRITER, batch(
        track("Order Completed", "{\"revenue\":10}"),
        track("Order Completed", "{\"revenue\":\"ten\",\"color\":\"red\"}"),
        track("Observed Unplanned", "{}")));
    assertThat(r.json().get("accepted").asInt()).isEqualTo(3);
    assertThat(r.json().get("rejected")).isEmpty();

    JsonNode v = http.get(path() + "/violations", ADMIN).json();
    assertThat(count(v, "Order Completed", "wrong_type")).isEqualTo(1);
    assertThat(count(v, "Order Completed", "unplanned_property")).isEqualTo(1);
    assertThat(count(v, "Observed Unplanned", "unplanned_event")).isEqualTo(1);

    counts.flush(); // written to the store, still counted once
    JsonNode after = http.get(path() + "/violations", ADMIN).json();
    assertThat(count(after, "Order Completed", "wrong_type")).isEqualTo(1);
    assertThat(http.get("/actuator/prometheus", ADMIN).body())
        .contains("pond_ingest_tracking_plan_violations_total{")
        .contains("event=\"Order Completed\"")
        .contains("kind=\"wrong_type\"");
  }

  @Test
  void in_block_mode_violating_records_go_to_dead_letters_with_the_reason_and_the_rest_is_kept() {
    assertThat(http.put(path(), ADMIN, PLAN.formatted("block")).status()).isEqualTo(200);
    String marker = UUID.randomUUID().toString();
    Http.Response r = http.post("/v1/batch", WRITER, batch(
        track("Order Completed", "{\"revenue\":10,\"coupon\":\"" + marker + "\"}"),
        track("Order Completed", "{\"coupon\":\"" + marker + "\"}"),
        "{\"type\":\"identify\",\"userId\":\"u1\",\"traits\":{\"plan\":\"not checked\"}}",
        track("Blocked Unplanned", "{}")));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
    JsonNode rejected = r.json().get("rejected");
    assertThat(rejected).hasSize(2);
    assertThat(rejected.get(0).get("index").asInt()).isEqualTo(1);
    assertThat(rejected.get(0).get("reason").asString()).isEqualTo("tracking_plan");
    assertThat(rejected.get(0).get("field").asString()).isEqualTo("properties.revenue");
    assertThat(rejected.get(1).get("index").asInt()).isEqualTo(3);
    assertThat(rejected.get(1).get("field").asString()).isEqualTo("event");

    JsonNode dead = http.get("/api/v1/ingest/dead-letters?source=" + source, ADMIN).json().get("items");
    assertThat(dead.valueStream().filter(d -> d.get("reason").asString().equals("tracking_plan")
        && d.get("raw").asString().contains(marker))).hasSize(1);
    JsonNode stats = http.get("/api/v1/ingest/stats", ADMIN).json().get(0);
    assertThat(stats.get("rejectedByReason").get("tracking_plan").asLong()).isGreaterThanOrEqualTo(2);
    JsonNode v = http.get(path() + "/violations", ADMIN).json();
    assertThat(count(v, "Blocked Unplanned", "unplanned_event")).isEqualTo(1);

    // a single-event request that the plan blocks is refused like any invalid event
    Http.Response single = http.post("/v1/track", WRITER, track("Blocked Unplanned", "{}"));
    assertThat(single.status()).isEqualTo(400);
    assertThat(single.json().get("field").asString()).isEqualTo("event");
  }

  static long count(JsonNode violations, String event, String kind) {
    return violations.valueStream()
        .filter(c -> c.get("event").asString().equals(event) && c.get("kind").asString().equals(kind))
        .mapToLong(c -> c.get("violations").asLong())
        .sum();
  }
}
