package io.pond.platform;

import static io.pond.support.Http.basic;
import static io.pond.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Keys, roles and errors through real HTTP on a running Pond (H2, or PostgreSQL in the CI's second run). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse", "POND_WRITE_KEY=first_source_write_key_0001"})
class ApiAccessTest {

  private static final String ADMIN = basic("admin", "correct-horse");

  @LocalServerPort int port;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  void without_credentials_the_management_api_answers_401_problem_json() {
    Http.Response r = http.get("/api/v1/keys", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo("unauthenticated");
    assertThat(r.json().get("status").asInt()).isEqualTo(401);
  }

  @Test
  void a_wrong_password_or_unknown_key_is_refused() {
    assertThat(http.get("/api/v1/keys", basic("admin", "wrong-password")).code()).isEqualTo("invalid_credentials");
    assertThat(http.get("/api/v1/keys", basic("nobody", "whatever-pass")).status()).isEqualTo(401);
    Http.Response unknownKey = http.get("/api/v1/keys", bearer("pond_sk_notarealkeynotarealkeynotareal00"));
    assertThat(unknownKey.status()).isEqualTo(401);
    assertThat(unknownKey.code()).isEqualTo("invalid_credentials");
  }

  @Test
  void the_bootstrap_created_the_admin_and_the_default_source_with_its_write_key() {
    Http.Response keys = http.get("/api/v1/keys", ADMIN);
    assertThat(keys.status()).isEqualTo(200);
    JsonNode first = keys.json().get(0);
    assertThat(first.get("kind").asString()).isEqualTo("write");
    assertThat(first.get("source").asString()).isEqualTo("default");
    assertThat(first.get("prefix").asString()).isEqualTo("first_source");
    assertThat(first.get("createdBy").asString()).isEqualTo("bootstrap");
    assertThat(keys.body()).doesNotContain("first_source_write_key_0001");
  }

  @Test
  void a_server_key_works_until_it_is_revoked() {
    Http.Response created =
        http.post("/api/v1/keys", ADMIN, "{\"kind\":\"server\",\"name\":\"ERP sync\"}");
    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().get("secret").asString();
    long id = created.json().get("key").get("id").asLong();
    assertThat(secret).startsWith("pond_sk_").hasSize(8 + 32);
    assertThat(created.json().get("key").get("role").asString()).isEqualTo("admin");

    assertThat(http.get("/api/v1/keys", bearer(secret)).status()).isEqualTo(200);

    Http.Response revoked = http.post("/api/v1/keys/" + id + "/revoke", bearer(secret), "");
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().get("revokedAt").isNull()).isFalse();

    Http.Response refused = http.get("/api/v1/keys", bearer(secret));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("key_revoked");

    List<String> actions =
        http.get("/api/v1/audit", ADMIN).json().valueStream().map(e -> e.get("action").asString()).toList();
    assertThat(actions).contains("key.created", "key.revoked");
  }

  @Test
  void a_write_key_cannot_call_the_management_api() {
    Http.Response created =
        http.post("/api/v1/keys", ADMIN, "{\"kind\":\"write\",\"name\":\"mini-program\",\"source\":\"wechat-mp\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("key").get("source").asString()).isEqualTo("wechat-mp");
    String secret = created.json().get("secret").asString();
    assertThat(secret).startsWith("pond_wk_");

    Http.Response refused = http.get("/api/v1/sources", bearer(secret));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("wrong_key_kind");
  }

  @Test
  void a_viewer_key_may_read_but_not_manage_keys() {
    String viewer =
        http.post("/api/v1/keys", ADMIN, "{\"kind\":\"server\",\"name\":\"dashboards\",\"role\":\"viewer\"}")
            .json()
            .get("secret")
            .asString();
    assertThat(http.get("/api/v1/sources", bearer(viewer)).status()).isEqualTo(200);
    Http.Response forbidden = http.get("/api/v1/keys", bearer(viewer));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.code()).isEqualTo("forbidden");
  }

  @Test
  void invalid_input_names_the_field_at_fault() {
    Http.Response badKind = http.post("/api/v1/keys", ADMIN, "{\"kind\":\"root\",\"name\":\"x\"}");
    assertThat(badKind.status()).isEqualTo(400);
    assertThat(badKind.code()).isEqualTo("validation_failed");
    assertThat(badKind.json().get("field").asString()).isEqualTo("kind");

    Http.Response noSource = http.post("/api/v1/keys", ADMIN, "{\"kind\":\"write\",\"name\":\"x\"}");
    assertThat(noSource.code()).isEqualTo("validation_failed");
    assertThat(noSource.json().get("field").asString()).isEqualTo("source");

    Http.Response malformed = http.post("/api/v1/keys", ADMIN, "{\"kind\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("malformed_request");
  }

  @Test
  void unknown_things_are_404_problem_json() {
    Http.Response noKey = http.post("/api/v1/keys/999999/revoke", ADMIN, "");
    assertThat(noKey.status()).isEqualTo(404);
    assertThat(noKey.code()).isEqualTo("not_found");

    Http.Response noPath = http.get("/api/v1/no-such-thing", ADMIN);
    assertThat(noPath.status()).isEqualTo(404);
    assertThat(noPath.contentType()).startsWith("application/problem+json");
    assertThat(noPath.code()).isEqualTo("not_found");

    Http.Response wrongMethod = http.get("/api/v1/keys/1/revoke", ADMIN);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.code()).isEqualTo("method_not_allowed");
  }

  @Test
  void health_is_public_and_details_need_credentials() {
    Http.Response open = http.get("/actuator/health", null);
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.json().get("status").asString()).isEqualTo("UP");
    assertThat(open.json().has("components")).isFalse();

    JsonNode components = http.get("/actuator/health", ADMIN).json().get("components");
    assertThat(components.get("db").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("eventStore").get("status").asString()).isEqualTo("UP");
    assertThat(components.get("eventStore").get("details").get("database").asString()).isEqualTo("DuckDB");
  }

  @Test
  void prometheus_metrics_need_credentials() {
    assertThat(http.get("/actuator/prometheus", null).status()).isEqualTo(401);
    Http.Response metrics = http.get("/actuator/prometheus", ADMIN);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("application=\"pond\"");
  }

  @Test
  void the_openapi_document_is_public_and_describes_the_keys_api() {
    Http.Response docs = http.get("/v3/api-docs", null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().get("paths").has("/api/v1/keys")).isTrue();
    assertThat(docs.json().get("components").get("securitySchemes").has("serverKey")).isTrue();
    assertThat(http.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
  }
}
