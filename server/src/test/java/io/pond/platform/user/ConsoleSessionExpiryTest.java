package io.pond.platform.user;

import static io.pond.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=expiry-admin-pw", "pond.console.session-ttl=1s"})
class ConsoleSessionExpiryTest {

  @LocalServerPort int port;

  @Test
  void a_session_token_is_refused_as_expired_once_its_time_to_live_has_passed() throws InterruptedException {
    Http http = new Http(port);
    String token =
        http.post("/api/v1/auth/login", null, "{\"username\":\"admin\",\"password\":\"expiry-admin-pw\"}")
            .json().get("token").asString();
    assertThat(http.get("/api/v1/auth/me", bearer(token)).status()).isEqualTo(200);
    Thread.sleep(1_200);
    Http.Response expired = http.get("/api/v1/auth/me", bearer(token));
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.code()).isEqualTo("session_expired");
  }
}
