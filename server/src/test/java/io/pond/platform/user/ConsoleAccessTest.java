package io.pond.platform.user;

import static io.pond.support.Http.basic;
import static io.pond.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Console sign-in, users, roles and channel scopes through real HTTP (H2, or PostgreSQL in CI's second run). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=console-admin-pw", "pond.console.location=classpath:/console-fixture/"})
public class ConsoleAccessTest {

  public static final String ADMIN = basic("admin", "console-admin-pw");

  @LocalServerPort int port;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private String login(String username, String password) {
    Http.Response r =
        http.post("/api/v1/auth/login", null, "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return bearer(r.json().get("token").asString());
  }

  private JsonNode createUser(String username, String role, String channelsJson) {
    String body =
        "{\"username\":\"" + username + "\",\"password\":\"password-123\",\"role\":\"" + role + "\""
            + (channelsJson == null ? "" : ",\"channels\":" + channelsJson) + "}";
    Http.Response r = http.post("/api/v1/users", ADMIN, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void signing_in_gives_a_session_token_that_authenticates_the_management_api() {
    Http.Response r = http.post("/api/v1/auth/login", null, "{\"username\":\"admin\",\"password\":\"console-admin-pw\"}");
    assertThat(r.status()).isEqualTo(200);
    String token = r.json().get("token").asString();
    assertThat(token).startsWith("pond_cs_").hasSize(8 + 43);
    assertThat(r.json().get("expiresAt").asString()).isNotBlank();
    assertThat(r.json().get("user").get("role").asString()).isEqualTo("admin");

    assertThat(http.get("/api/v1/keys", bearer(token)).status()).isEqualTo(200);
    JsonNode me = http.get("/api/v1/auth/me", bearer(token)).json();
    assertThat(me.get("kind").asString()).isEqualTo("user");
    assertThat(me.get("username").asString()).isEqualTo("admin");
    assertThat(me.has("channels")).isFalse(); // every channel
    assertThat(me.get("sessionExpiresAt").asString()).isNotBlank();
  }

  @Test
  void a_wrong_password_or_unknown_user_is_refused_the_same_way() {
    Http.Response wrong = http.post("/api/v1/auth/login", null, "{\"username\":\"admin\",\"password\":\"nope-nope\"}");
    Http.Response unknown = http.post("/api/v1/auth/login", null, "{\"username\":\"ghost\",\"password\":\"nope-nope\"}");
    for (Http.Response r : List.of(wrong, unknown)) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.code()).isEqualTo("invalid_credentials");
      assertThat(r.json().get("detail").asString()).isEqualTo("The user name or password is wrong.");
    }
    Http.Response missing = http.post("/api/v1/auth/login", null, "{\"username\":\"admin\"}");
    assertThat(missing.code()).isEqualTo("validation_failed");
    assertThat(missing.json().get("field").asString()).isEqualTo("password");
  }

  @Test
  void signing_out_ends_the_session_and_its_token_is_then_refused_as_expired() {
    String session = login("admin", "console-admin-pw");
    assertThat(http.post("/api/v1/auth/logout", session, "").status()).isEqualTo(204);
    Http.Response refused = http.get("/api/v1/auth/me", session);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("session_expired");

    Http.Response forged = http.get("/api/v1/auth/me", bearer("pond_cs_" + "x".repeat(43)));
    assertThat(forged.status()).isEqualTo(401);
    assertThat(forged.code()).isEqualTo("invalid_credentials");

    var actions = http.get("/api/v1/audit", ADMIN).json().valueStream().map(e -> e.get("action").asString()).toList();
    assertThat(actions).contains("session.started", "session.ended");
  }

  @Test
  void a_user_limited_to_channels_sees_role_and_scope_in_me_by_session_and_by_basic() {
    String name = unique("tmall-ops");
    JsonNode created = createUser(name, "operator", "[\"tmall\",\"Douyin\"]");
    assertThat(created.get("channels").valueStream().map(JsonNode::asString).toList()).containsExactly("douyin", "tmall");

    for (String credential : List.of(login(name, "password-123"), basic(name, "password-123"))) {
      JsonNode me = http.get("/api/v1/auth/me", credential).json();
      assertThat(me.get("username").asString()).isEqualTo(name);
      assertThat(me.get("role").asString()).isEqualTo("operator");
      assertThat(me.get("channels").valueStream().map(JsonNode::asString).toList()).containsExactly("douyin", "tmall");
    }
  }

  @Test
  void a_server_key_is_reported_by_me_as_a_key_with_every_channel() {
    String secret =
        http.post("/api/v1/keys", ADMIN, "{\"kind\":\"server\",\"name\":\"bi export\",\"role\":\"analyst\"}")
            .json().get("secret").asString();
    JsonNode me = http.get("/api/v1/auth/me", bearer(secret)).json();
    assertThat(me.get("kind").asString()).isEqualTo("key");
    assertThat(me.get("username").asString()).isEqualTo("bi export");
    assertThat(me.get("role").asString()).isEqualTo("analyst");
    assertThat(me.has("channels")).isFalse();
  }

  @Test
  void only_admins_manage_users() {
    String name = unique("viewer");
    createUser(name, "viewer", null);
    String session = login(name, "password-123");
    Http.Response forbidden = http.get("/api/v1/users", session);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.code()).isEqualTo("forbidden");
    assertThat(http.post("/api/v1/users", session, "{\"username\":\"x1\",\"password\":\"password-123\",\"role\":\"admin\"}").status())
        .isEqualTo(403);
    assertThat(http.get("/api/v1/audit", session).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/sources", session).status()).isEqualTo(200);
  }

  @Test
  void a_changed_role_and_scope_apply_to_the_next_request_of_an_open_session() {
    String name = unique("analyst");
    long id = createUser(name, "analyst", null).get("id").asLong();
    String session = login(name, "password-123");
    assertThat(http.get("/api/v1/users", session).status()).isEqualTo(403);

    Http.Response changed = http.put("/api/v1/users/" + id + "/access", ADMIN, "{\"role\":\"admin\",\"channels\":[\"wechat\"]}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);

    assertThat(http.get("/api/v1/users", session).status()).isEqualTo(200);
    JsonNode me = http.get("/api/v1/auth/me", session).json();
    assertThat(me.get("role").asString()).isEqualTo("admin");
    assertThat(me.get("channels").get(0).asString()).isEqualTo("wechat");

    http.put("/api/v1/users/" + id + "/access", ADMIN, "{\"role\":\"viewer\"}");
    assertThat(http.get("/api/v1/auth/me", session).json().has("channels")).isFalse();
  }

  @Test
  void resetting_a_password_ends_the_users_sessions_and_only_the_new_password_works() {
    String name = unique("reset");
    long id = createUser(name, "operator", null).get("id").asLong();
    String session = login(name, "password-123");

    Http.Response reset = http.post("/api/v1/users/" + id + "/password", ADMIN, "{\"password\":\"brand-new-pw\"}");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(http.get("/api/v1/auth/me", session).code()).isEqualTo("session_expired");
    assertThat(http.post("/api/v1/auth/login", null, "{\"username\":\"" + name + "\",\"password\":\"password-123\"}").status())
        .isEqualTo(401);
    login(name, "brand-new-pw");
  }

  @Test
  void a_disabled_user_can_neither_sign_in_nor_use_an_open_session_until_enabled() {
    String name = unique("leaver");
    long id = createUser(name, "viewer", null).get("id").asLong();
    String session = login(name, "password-123");

    Http.Response disabled = http.post("/api/v1/users/" + id + "/disable", ADMIN, "");
    assertThat(disabled.json().get("disabled").asBoolean()).isTrue();
    assertThat(http.get("/api/v1/auth/me", session).code()).isEqualTo("session_expired");
    assertThat(http.post("/api/v1/auth/login", null, "{\"username\":\"" + name + "\",\"password\":\"password-123\"}").code())
        .isEqualTo("invalid_credentials");
    assertThat(http.get("/api/v1/auth/me", basic(name, "password-123")).status()).isEqualTo(401);

    http.post("/api/v1/users/" + id + "/enable", ADMIN, "");
    login(name, "password-123");
  }

  @Test
  void an_admin_cannot_disable_their_own_account_and_the_last_admin_cannot_be_demoted() {
    long adminId =
        http.get("/api/v1/users?limit=200", ADMIN).json().get("items").valueStream()
            .filter(u -> u.get("username").asString().equals("admin"))
            .findFirst().orElseThrow().get("id").asLong();
    Http.Response self = http.post("/api/v1/users/" + adminId + "/disable", ADMIN, "");
    assertThat(self.status()).isEqualTo(409);
    assertThat(self.code()).isEqualTo("conflict");
    assertThat(self.json().get("detail").asString()).contains("your own account");

    // other tests may have made admins; demote every admin but 'admin', then try 'admin' itself
    http.get("/api/v1/users?limit=200", ADMIN).json().get("items").valueStream()
        .filter(u -> u.get("role").asString().equals("admin") && u.get("id").asLong() != adminId)
        .forEach(u -> http.put("/api/v1/users/" + u.get("id").asLong() + "/access", ADMIN, "{\"role\":\"viewer\"}"));
    Http.Response demote = http.put("/api/v1/users/" + adminId + "/access", ADMIN, "{\"role\":\"operator\"}");
    assertThat(demote.status()).isEqualTo(409);
    assertThat(demote.json().get("detail").asString()).contains("last enabled admin");
    assertThat(demote.json().get("field").asString()).isEqualTo("role");
  }

  @Test
  void bad_user_input_is_refused_naming_the_field() {
    Http.Response shortPassword =
        http.post("/api/v1/users", ADMIN, "{\"username\":\"shorty\",\"password\":\"1234\",\"role\":\"viewer\"}");
    assertThat(shortPassword.code()).isEqualTo("validation_failed");
    assertThat(shortPassword.json().get("field").asString()).isEqualTo("password");

    Http.Response badRole =
        http.post("/api/v1/users", ADMIN, "{\"username\":\"boss\",\"password\":\"password-123\",\"role\":\"root\"}");
    assertThat(badRole.json().get("field").asString()).isEqualTo("role");

    Http.Response badChannel =
        http.post("/api/v1/users", ADMIN,
            "{\"username\":\"chan\",\"password\":\"password-123\",\"role\":\"viewer\",\"channels\":[\"天猫\"]}");
    assertThat(badChannel.status()).isEqualTo(400);
    assertThat(badChannel.json().get("field").asString()).isEqualTo("channels");

    Http.Response noChannels =
        http.post("/api/v1/users", ADMIN, "{\"username\":\"chan\",\"password\":\"password-123\",\"role\":\"viewer\",\"channels\":[]}");
    assertThat(noChannels.json().get("field").asString()).isEqualTo("channels");

    Http.Response duplicate =
        http.post("/api/v1/users", ADMIN, "{\"username\":\"admin\",\"password\":\"password-123\",\"role\":\"viewer\"}");
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().get("field").asString()).isEqualTo("username");

    assertThat(http.post("/api/v1/users/987654/disable", ADMIN, "").code()).isEqualTo("not_found");
  }

  @Test
  void users_page_through_the_api_and_every_change_is_audited() {
    String name = unique("paged");
    long id = createUser(name, "viewer", "[\"offline\"]").get("id").asLong();
    http.put("/api/v1/users/" + id + "/access", ADMIN, "{\"role\":\"analyst\",\"channels\":[\"offline\",\"jd\"]}");
    http.post("/api/v1/users/" + id + "/password", ADMIN, "{\"password\":\"another-pw-1\"}");
    http.post("/api/v1/users/" + id + "/disable", ADMIN, "");

    JsonNode first = http.get("/api/v1/users?offset=0&limit=1", ADMIN).json();
    long total = first.get("total").asLong();
    assertThat(total).isGreaterThanOrEqualTo(2);
    assertThat(first.get("items")).hasSize(1);
    assertThat(first.get("items").get(0).get("username").asString()).isEqualTo("admin");
    JsonNode last = http.get("/api/v1/users?offset=" + (total - 1) + "&limit=1", ADMIN).json();
    assertThat(last.get("items")).hasSize(1);
    assertThat(http.get("/api/v1/users?limit=0", ADMIN).code()).isEqualTo("validation_failed");

    var entries =
        http.get("/api/v1/audit?limit=500", ADMIN).json().valueStream()
            .filter(e -> ("user:" + name).equals(e.get("target").asString()))
            .map(e -> e.get("action").asString() + " by " + e.get("actor").asString())
            .toList();
    assertThat(entries)
        .contains(
            "user.created by user:admin",
            "user.access_changed by user:admin",
            "user.password_reset by user:admin",
            "user.disabled by user:admin");
  }
}
