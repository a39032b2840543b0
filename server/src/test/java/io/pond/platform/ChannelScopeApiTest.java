package io.pond.platform;

import static io.pond.support.Http.basic;
import static io.pond.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.pond.segment.index.SegmentIndex;
import io.pond.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A user limited to Tmall sees the persons present on Tmall and nothing of a JD-only buyer: person,
 * identity graph, profile, timeline, loyalty member, coupons and tags answer 404 as if the person did
 * not exist; tag, segment and AIPL counts cover only Tmall persons; cross-channel work (conflict
 * review, bulk issuance) is refused. An admin sees everything.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse"})
class ChannelScopeApiTest {

  static final String ADMIN = basic("admin", "correct-horse");

  @LocalServerPort int port;
  @Autowired SegmentIndex index;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  int person(String json) {
    Http.Response r = http.post("/api/v1/identity/evidence", ADMIN, "{\"identifiers\":" + json + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("personId").asInt();
  }

  String user(String role, String channels) {
    String name = role + "-" + System.nanoTime();
    Http.Response created = http.post("/api/v1/users", ADMIN,
        "{\"username\":\"" + name + "\",\"password\":\"password-123\",\"role\":\"" + role + "\",\"channels\":" + channels + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return bearer(http.post("/api/v1/auth/login", null, "{\"username\":\"" + name + "\",\"password\":\"password-123\"}")
        .json().get("token").asString());
  }

  @Test
  void a_user_limited_to_tmall_sees_only_persons_present_on_tmall() {
    String run = Long.toString(System.nanoTime());
    int tmallBuyer = person("[{\"type\":\"taobao_ouid\",\"scope\":\"shop-1\",\"value\":\"ou-" + run + "\"},"
        + "{\"type\":\"login_id\",\"value\":\"t-" + run + "\"}]");
    int jdBuyer = person("[{\"type\":\"jd_open_id\",\"value\":\"jd-" + run + "\"}]");
    // persons reach the segment index through their events and orders; here their presence is indexed directly
    index.write(i -> {
      i.identifierTypes(tmallBuyer, Set.of("taobao_ouid", "login_id"));
      i.identifierTypes(jdBuyer, Set.of("jd_open_id"));
    });
    String tmall = user("operator", "[\"tmall\"]");

    // one person at a time
    assertThat(http.get("/api/v1/persons/" + tmallBuyer, tmall).status()).isEqualTo(200);
    for (String path : List.of("", "/graph", "/events", "/merges", "/profile", "/timeline", "/consents")) {
      Http.Response hidden = http.get("/api/v1/persons/" + jdBuyer + path, tmall);
      assertThat(hidden.code()).as(path + ": " + hidden.body()).isEqualTo("not_found");
      assertThat(http.get("/api/v1/persons/" + jdBuyer + path, ADMIN).status()).as(path).isEqualTo(200);
    }
    assertThat(http.get("/api/v1/persons/lookup?type=jd_open_id&value=jd-" + run, tmall).code()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/persons/lookup?type=jd_open_id&value=jd-" + run, ADMIN).json().get("personId").asInt())
        .isEqualTo(jdBuyer);
    assertThat(http.get("/api/v1/persons/lookup?type=taobao_ouid&scope=shop-1&value=ou-" + run, tmall).json().get("personId").asInt())
        .isEqualTo(tmallBuyer);
    assertThat(http.get("/api/v1/offers/members/" + jdBuyer + "/coupons", tmall).code()).isEqualTo("not_found");
    assertThat(http.get("/api/v1/offers/members/" + tmallBuyer + "/coupons", tmall).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/tags/persons/" + jdBuyer, tmall).code()).isEqualTo("not_found");
    Http.Response ledger = http.get("/api/v1/loyalty/programs/any/members/" + jdBuyer + "/entries", tmall);
    assertThat(ledger.code()).isEqualTo("not_found");
    assertThat(ledger.json().get("detail").asString()).contains("Person " + jdBuyer);
    assertThat(http.post("/api/v1/persons/merge", tmall, "{\"personIds\":[" + tmallBuyer + "," + jdBuyer + "]}").code())
        .isEqualTo("not_found");

    // counts and lists
    String tag = "scoped-" + run;
    assertThat(http.post("/api/v1/tags", ADMIN, "{\"code\":\"" + tag + "\",\"kind\":\"manual\"}").status()).isEqualTo(201);
    assertThat(http.post("/api/v1/tags/" + tag + "/members", ADMIN, "{\"personIds\":[" + tmallBuyer + "," + jdBuyer + "]}")
        .json().get("added").asInt()).isEqualTo(2);
    assertThat(http.get("/api/v1/tags/" + tag, ADMIN).json().get("members").asInt()).isEqualTo(2);
    assertThat(http.get("/api/v1/tags/" + tag, tmall).json().get("members").asInt()).isEqualTo(1);
    List<Integer> seen = new ArrayList<>();
    http.get("/api/v1/tags/" + tag + "/members", tmall).json().get("personIds").forEach(p -> seen.add(p.asInt()));
    assertThat(seen).containsExactly(tmallBuyer);
    Http.Response outside = http.post("/api/v1/tags/" + tag + "/members/remove", tmall, "{\"personIds\":[" + jdBuyer + "]}");
    assertThat(outside.status()).isEqualTo(400);
    assertThat(outside.json().get("field").asString()).isEqualTo("personIds");

    String preview = "{\"expression\":{\"tag\":\"" + tag + "\"},\"sample\":10}";
    assertThat(http.post("/api/v1/segments/preview", ADMIN, preview).json().get("count").asInt()).isEqualTo(2);
    JsonNode scoped = http.post("/api/v1/segments/preview", tmall, preview).json();
    assertThat(scoped.get("count").asInt()).isEqualTo(1);
    assertThat(scoped.get("sample").get(0).asInt()).isEqualTo(tmallBuyer);
    assertThat(http.post("/api/v1/segments", ADMIN, "{\"code\":\"" + tag + "\",\"expression\":{\"tag\":\"" + tag + "\"}}").status())
        .isEqualTo(201);
    assertThat(http.get("/api/v1/segments/" + tag, tmall).json().get("count").asInt()).isEqualTo(1);
    assertThat(http.get("/api/v1/segments/" + tag, ADMIN).json().get("count").asInt()).isEqualTo(2);
    long everyone = http.get("/api/v1/aipl", ADMIN).json().get("counts").valueStream().mapToLong(JsonNode::asLong).sum();
    long tmallOnes = http.get("/api/v1/aipl", tmall).json().get("counts").valueStream().mapToLong(JsonNode::asLong).sum();
    assertThat(tmallOnes).isLessThanOrEqualTo(everyone);

    // work that spans channels
    Http.Response conflicts = http.get("/api/v1/identity/conflicts", tmall);
    assertThat(conflicts.status()).isEqualTo(403);
    assertThat(conflicts.json().get("field").asString()).isEqualTo("channel");
    assertThat(http.get("/api/v1/identity/conflicts", ADMIN).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/offers/issue-jobs", tmall, "{\"templateCode\":\"any\",\"personIds\":[" + tmallBuyer + "]}").status())
        .isEqualTo(403);
    Http.Response join = http.post("/api/v1/loyalty/programs/any/joins", tmall,
        "{\"channel\":\"jd\",\"shop\":\"s\",\"channelMemberId\":\"m-" + run + "\"}");
    assertThat(join.status()).isEqualTo(403);
    assertThat(join.json().get("field").asString()).isEqualTo("channel");
  }

  @Test
  void a_scope_granted_as_tmall_shows_orders_filed_under_taobao_and_the_user_api_shows_the_grant() {
    String tmall = user("viewer", "[\"tmall\"]");
    Http.Response me = http.get("/api/v1/auth/me", tmall);
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    assertThat(me.body()).contains("\"tmall\"").doesNotContain("\"taobao\"");
    assertThat(http.get("/api/v1/orders?channel=taobao", tmall).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/orders?channel=jd", tmall).status()).isEqualTo(403);
  }
}
