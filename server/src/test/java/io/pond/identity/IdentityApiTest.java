package io.pond.identity;

import static io.pond.support.Http.basic;
import static io.pond.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** OneID through real HTTP: resolution, lookups with PII masking, graph, merges, splits, conflicts, types. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse"})
class IdentityApiTest {

  static final String ADMIN = basic("admin", "correct-horse");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired io.pond.identity.graph.IdentityGraphService identityGraph;
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

  JsonNode resolve(String auth, String json) {
    Http.Response r = http.post("/api/v1/identity/evidence", auth, json);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static String ids(String... typeValue) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < typeValue.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      String type = typeValue[i];
      String scope = "";
      if (type.contains("@")) {
        scope = type.substring(type.indexOf('@') + 1);
        type = type.substring(0, type.indexOf('@'));
      }
      b.append("{\"type\":\"").append(type).append("\",\"scope\":\"").append(scope).append("\",\"value\":\"")
          .append(typeValue[i + 1]).append("\"}");
    }
    return b.append(']').toString();
  }

  @Test
  void a_phone_is_stored_encrypted_and_shown_masked_to_everyone_but_admins() {
    String u = "u-" + System.nanoTime();
    JsonNode created = resolve(operator, "{\"identifiers\":" + ids("login_id", u, "phone", "138 0013 8000") + "}");
    assertThat(created.get("outcome").asString()).isEqualTo("created");
    int person = created.get("personId").asInt();

    Http.Response masked = http.get("/api/v1/persons/lookup?type=login_id&value=" + u, viewer);
    assertThat(masked.status()).isEqualTo(200);
    assertThat(masked.json().get("personId").asInt()).isEqualTo(person);
    assertThat(masked.body()).contains("138****8000").doesNotContain("13800138000");

    Http.Response byPhone = http.get("/api/v1/persons/lookup?type=phone&value=%2B8613800138000", ADMIN);
    assertThat(byPhone.json().get("personId").asInt()).isEqualTo(person);
    assertThat(byPhone.body()).contains("+8613800138000");

    identityGraph.checkpoint(); // the identity map's rows are written by checkpoints
    String stored = jdbc.sql("SELECT value_enc FROM identity_identifier WHERE type = 'phone'").query(String.class).list().get(0);
    assertThat(stored).doesNotContain("13800138000");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM identity_identifier WHERE id_key LIKE '%13800138000%'").query(Integer.class).single())
        .isZero();
  }

  @Test
  void an_alias_merges_two_persons_the_graph_shows_the_evidence_and_a_split_restores_them() {
    String s = "" + System.nanoTime();
    int anon = resolve(operator, "{\"identifiers\":" + ids("anonymous_id", "web-" + s, "cookie_id", "ck-" + s) + "}")
        .get("personId").asInt();
    int known = resolve(operator, "{\"identifiers\":" + ids("login_id", "bob-" + s, "device_id", "dev-" + s)
        + ",\"source\":\"app\"}").get("personId").asInt();

    JsonNode merged = resolve(operator, "{\"kind\":\"alias\",\"source\":\"segment\",\"identifiers\":"
        + ids("anonymous_id", "web-" + s, "login_id", "bob-" + s) + "}");
    assertThat(merged.get("outcome").asString()).isEqualTo("merged");
    assertThat(merged.get("personId").asInt()).isEqualTo(Math.min(anon, known));
    int survivor = Math.min(anon, known);
    int gone = Math.max(anon, known);

    JsonNode graph = http.get("/api/v1/persons/" + survivor + "/graph", viewer).json();
    assertThat(graph.get("nodes")).hasSize(4);
    assertThat(graph.get("edges").valueStream().map(e -> e.get("kind").asString() + "/" + e.get("source").asString()).toList())
        .contains("alias/segment", "together/app");
    assertThat(graph.get("merges").get(0).get("merged").asInt()).isEqualTo(gone);

    JsonNode redirected = http.get("/api/v1/persons/" + gone, viewer).json();
    assertThat(redirected.get("mergedInto").asInt()).isEqualTo(survivor);

    Http.Response split = http.post("/api/v1/persons/" + survivor + "/split", operator, "{}");
    assertThat(split.status()).as(split.body()).isEqualTo(200);
    assertThat(split.json().get("restored").asInt()).isEqualTo(gone);
    assertThat(http.get("/api/v1/persons/" + gone, viewer).json().get("identifiers")).hasSize(2);
    assertThat(http.get("/api/v1/persons/" + survivor, viewer).json().get("identifiers")).hasSize(2);

    Http.Response again = http.post("/api/v1/persons/" + survivor + "/split", operator, "{}");
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.code()).isEqualTo("not_found");

    List<String> actions = http.get("/api/v1/audit", ADMIN).json().valueStream().map(e -> e.get("action").asString()).toList();
    assertThat(actions).contains("identity.person.split");
  }

  @Test
  void split_persons_stay_apart_when_the_old_evidence_comes_again_until_an_operator_merges_them() {
    String s = "" + System.nanoTime();
    int anon = resolve(operator, "{\"identifiers\":" + ids("anonymous_id", "web-" + s) + "}").get("personId").asInt();
    int known = resolve(operator, "{\"identifiers\":" + ids("login_id", "eve-" + s) + "}").get("personId").asInt();
    String alias = "{\"kind\":\"alias\",\"identifiers\":" + ids("anonymous_id", "web-" + s, "login_id", "eve-" + s) + "}";
    assertThat(resolve(operator, alias).get("outcome").asString()).isEqualTo("merged");
    assertThat(http.post("/api/v1/persons/" + anon + "/split", operator, "{}").status()).isEqualTo(200);

    JsonNode again = resolve(operator, alias);

    assertThat(again.get("outcome").asString()).isEqualTo("unchanged");
    assertThat(again.get("refused").valueStream().map(r -> r.get("reason").asString()).toList()).containsExactly("kept_apart");
    assertThat(http.get("/api/v1/persons/" + anon, viewer).json().get("keptApartFrom").get(0).asInt()).isEqualTo(known);

    Http.Response manual = http.post("/api/v1/persons/merge", operator, "{\"personIds\":[" + anon + "," + known + "]}");
    assertThat(manual.status()).as(manual.body()).isEqualTo(200);
    assertThat(http.get("/api/v1/persons/" + anon, viewer).json().get("keptApartFrom")).isEmpty();
    assertThat(http.get("/api/v1/persons/" + anon, viewer).json().get("identifiers")).hasSize(2);
  }

  @Test
  void a_shared_device_records_a_conflict_that_an_operator_resolves_by_merging_by_hand() {
    String s = "" + System.nanoTime();
    int alice = resolve(operator, "{\"identifiers\":" + ids("login_id", "alice-" + s, "device_id", "ipad-" + s) + "}")
        .get("personId").asInt();
    JsonNode bob = resolve(operator, "{\"identifiers\":" + ids("login_id", "bob-" + s, "device_id", "ipad-" + s) + "}");
    assertThat(bob.get("outcome").asString()).isEqualTo("conflict");
    assertThat(bob.get("reason").asString()).isEqualTo("sticky:login_id");
    int bobId = bob.get("personId").asInt();
    assertThat(bobId).isNotEqualTo(alice);

    JsonNode conflicts = http.get("/api/v1/identity/conflicts", viewer).json();
    assertThat(conflicts.valueStream().anyMatch(c -> c.get("personA").asInt() == alice && c.get("personB").asInt() == bobId
        && c.get("reason").asString().equals("sticky") && c.get("type").asString().equals("login_id"))).isTrue();

    Http.Response forbidden = http.post("/api/v1/persons/merge", viewer, "{\"personIds\":[" + alice + "," + bobId + "]}");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.code()).isEqualTo("forbidden");

    Http.Response merged = http.post("/api/v1/persons/merge", operator,
        "{\"personIds\":[" + alice + "," + bobId + "],\"note\":\"same household account\"}");
    assertThat(merged.status()).as(merged.body()).isEqualTo(200);
    assertThat(merged.json().get("personId").asInt()).isEqualTo(alice);
    assertThat(http.get("/api/v1/persons/lookup?type=login_id&value=bob-" + s, viewer).json().get("personId").asInt())
        .isEqualTo(alice);
    assertThat(http.get("/api/v1/identity/conflicts", viewer).json().valueStream()
        .noneMatch(c -> c.get("personA").asInt() == alice && c.get("personB").asInt() == bobId)).isTrue();
    List<String> actions = http.get("/api/v1/audit", ADMIN).json().valueStream().map(e -> e.get("action").asString()).toList();
    assertThat(actions).contains("identity.persons.merged");
  }

  @Test
  void replaying_evidence_with_the_same_key_changes_nothing() {
    String s = "" + System.nanoTime();
    String body = "{\"idempotencyKey\":\"msg-" + s + "\",\"identifiers\":" + ids("login_id", "carol-" + s) + "}";
    JsonNode first = resolve(operator, body);
    JsonNode replay = resolve(operator, body);
    assertThat(replay.get("outcome").asString()).isEqualTo("replayed");
    assertThat(replay.get("personId").asInt()).isEqualTo(first.get("personId").asInt());
    assertThat(identityGraph.loggedCount("msg-" + s)).as("recorded once in the evidence log").isEqualTo(1);
  }

  @Test
  void junk_values_are_refused_with_reasons_and_bad_lookups_name_the_field() {
    JsonNode r = resolve(operator, "{\"identifiers\":" + ids("anonymous_id", "undefined", "phone", "187****8991", "oaid", "x") + "}");
    assertThat(r.get("outcome").asString()).isEqualTo("rejected");
    assertThat(r.get("refused").valueStream().map(x -> x.get("reason").asString()).toList())
        .containsExactly("junk_value", "junk_value", "unknown_type");

    Http.Response noType = http.get("/api/v1/persons/lookup?type=oaid&value=abc", viewer);
    assertThat(noType.status()).isEqualTo(400);
    assertThat(noType.json().get("field").asString()).isEqualTo("type");
    Http.Response noScope = http.get("/api/v1/persons/lookup?type=wechat_openid&value=o123", viewer);
    assertThat(noScope.json().get("field").asString()).isEqualTo("scope");
    assertThat(http.get("/api/v1/persons/lookup?type=login_id&value=nobody-here", viewer).code()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/persons/0", viewer).code()).isEqualTo("validation_failed");
    Http.Response badKind = http.post("/api/v1/identity/evidence", operator, "{\"kind\":\"split\",\"identifiers\":" + ids("login_id", "x1") + "}");
    assertThat(badKind.json().get("field").asString()).isEqualTo("kind");
  }

  @Test
  void brands_add_types_and_change_rules_and_every_version_is_kept() {
    Http.Response added = http.post("/api/v1/identity/types", operator,
        "{\"name\":\"pos_card\",\"scopeKind\":\"shop\",\"strength\":\"strong\",\"priority\":92,\"maxPerPerson\":2}");
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    assertThat(added.json().get("version").asInt()).isEqualTo(1);

    Http.Response changed = http.put("/api/v1/identity/types/device_id", operator,
        "{\"maxPerPerson\":5,\"junkPatterns\":[\"emulator-.*\"]}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("version").asInt()).isEqualTo(2);
    JsonNode versions = http.get("/api/v1/identity/types/device_id/versions", viewer).json();
    assertThat(versions.valueStream().map(v -> v.get("maxPerPerson").asInt()).toList()).containsExactly(10, 5);

    JsonNode junk = resolve(operator, "{\"identifiers\":" + ids("device_id", "emulator-42") + "}");
    assertThat(junk.get("outcome").asString()).isEqualTo("rejected");
    JsonNode card = resolve(operator, "{\"identifiers\":" + ids("pos_card@shop-1", "C-1") + "}");
    assertThat(card.get("outcome").asString()).isEqualTo("created");

    Http.Response bad = http.post("/api/v1/identity/types", operator, "{\"name\":\"Bad Name\",\"strength\":\"strong\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asString()).isEqualTo("name");
    Http.Response dup = http.post("/api/v1/identity/types", operator, "{\"name\":\"phone\",\"strength\":\"strong\"}");
    assertThat(dup.code()).isEqualTo("conflict");
    assertThat(http.post("/api/v1/identity/types", viewer, "{\"name\":\"x_y\",\"strength\":\"weak\"}").status()).isEqualTo(403);
    assertThat(http.get("/api/v1/identity/types", viewer).json().get(0).get("name").asString()).isEqualTo("wechat_unionid");
  }
}
