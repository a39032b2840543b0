package io.pond.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.platform.user.ConsoleAccessTest;
import io.pond.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The console's single-page routes next to the server's own paths (a fixture console stands in for the build). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=console-admin-pw", "pond.console.location=classpath:/console-fixture/"})
class ConsoleRoutesTest {

  @LocalServerPort int port;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  @Test
  void the_root_and_client_side_routes_serve_the_console_page() {
    for (String path : new String[] {"/", "/users", "/keys/42", "/m/card", "/login?next=%2Faudit"}) {
      Http.Response r = http.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.contentType()).as(path).startsWith("text/html");
      assertThat(r.body()).as(path).contains("console-fixture-index");
    }
  }

  @Test
  void hashed_assets_are_served_as_files_and_missing_files_are_404() {
    Http.Response asset = http.get("/assets/app-3f2a1b.js", null);
    assertThat(asset.status()).isEqualTo(200);
    assertThat(asset.body()).contains("fixture asset");
    assertThat(http.get("/assets/missing-1234.js", null).status()).isEqualTo(404);
    assertThat(http.get("/favicon-missing.png", null).status()).isEqualTo(404);
  }

  @Test
  void server_paths_are_never_answered_with_the_console_page() {
    Http.Response unknownApi = http.get("/api/v1/no-such-thing", ConsoleAccessTest.ADMIN);
    assertThat(unknownApi.status()).isEqualTo(404);
    assertThat(unknownApi.contentType()).startsWith("application/problem+json");
    assertThat(unknownApi.code()).isEqualTo("not_found");

    assertThat(http.get("/api/v1/keys", null).code()).isEqualTo("unauthenticated");
    assertThat(http.get("/actuator/health", null).body()).contains("\"UP\"");
    assertThat(http.get("/v3/api-docs", null).body()).contains("/api/v1/auth/login");
    for (String path : new String[] {"/v1/nothing-here", "/sa/x", "/actuator/nothing", "/v3/nothing"}) {
      Http.Response r = http.get(path, ConsoleAccessTest.ADMIN);
      assertThat(r.body()).as(path).doesNotContain("console-fixture-index");
      assertThat(r.status()).as(path).isGreaterThanOrEqualTo(400);
    }
  }

  @Test
  void client_routes_are_told_apart_from_server_paths_and_file_names() {
    assertThat(ConsoleRoutes.isClientRoute("")).isTrue();
    assertThat(ConsoleRoutes.isClientRoute("users")).isTrue();
    assertThat(ConsoleRoutes.isClientRoute("sales/overview")).isTrue();
    assertThat(ConsoleRoutes.isClientRoute("api/v1/x")).isFalse();
    assertThat(ConsoleRoutes.isClientRoute("v1/track")).isFalse();
    assertThat(ConsoleRoutes.isClientRoute("sa")).isFalse();
    assertThat(ConsoleRoutes.isClientRoute("robots.txt")).isFalse();
  }
}
