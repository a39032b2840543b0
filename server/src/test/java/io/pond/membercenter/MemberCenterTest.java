package io.pond.membercenter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.pond.support.Http;
import io.pond.support.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/** The member center's API: sign-in with a one-time code from the outbox, then only the member's own card, points and mall. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "POND_ADMIN_PASSWORD=member-center-pw")
@Import(MemberCenterTest.Clocks.class)
class MemberCenterTest {

  private static final String ADMIN = Http.basic("admin", "member-center-pw");
  private static final Pattern CODE = Pattern.compile("验证码是 (\\d{6})");

  @TestConfiguration(proxyBeanMethods = false)
  static class Clocks {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(Instant.parse("2026-06-01T02:00:00Z"), ZoneId.of("Asia/Shanghai"));
    }
  }

  @Autowired MutableClock clock;
  @LocalServerPort int port;

  private static String newPhone() {
    return "137" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
  }

  /** The newest held SMS to this phone (masked as 137****1234), read by an operator from the outbox. */
  private String codeFromOutbox(Http http, String phone) {
    String masked = phone.substring(0, 3) + "****" + phone.substring(7);
    JsonNode items = http.get("/api/v1/messages?status=held&limit=50", ADMIN).json().get("items");
    for (JsonNode m : items) {
      if (m.get("recipientMasked").asString().equals(masked)) {
        assertThat(m.get("channel").asString()).isEqualTo("sms");
        assertThat(m.get("recipientMasked").asString()).doesNotContain(phone.substring(3, 7));
        Matcher matcher = CODE.matcher(m.get("body").asString());
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
      }
    }
    throw new AssertionError("no held SMS to " + phone + " in " + items);
  }

  private String signIn(Http http, String phone) {
    assertThat(http.post("/api/v1/member/auth/code", null, "{\"phone\":\"" + phone + "\"}").status()).isEqualTo(202);
    Http.Response in = http.post("/api/v1/member/auth/verify", null,
        "{\"phone\":\"" + phone + "\",\"code\":\"" + codeFromOutbox(http, phone) + "\"}");
    assertThat(in.status()).as(in.body()).isEqualTo(200);
    return in.json().get("token").asString();
  }

  @Test
  void a_member_signs_in_with_the_code_from_the_outbox_and_a_wrong_or_stale_code_is_refused() throws Exception {
    Http http = new Http(port);
    String phone = newPhone();
    assertThat(http.post("/api/v1/member/auth/code", null, "{\"phone\":\"12345\"}").json().get("field").asString()).isEqualTo("phone");

    Http.Response sent = http.post("/api/v1/member/auth/code", null, "{\"phone\":\"+86 " + phone + "\"}");
    assertThat(sent.status()).isEqualTo(202);
    assertThat(sent.json().get("phone").asString()).isEqualTo(phone.substring(0, 3) + "****" + phone.substring(7));
    String code = codeFromOutbox(http, phone);

    // a second code within a minute: 429 with Retry-After
    HttpResponse<String> again = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/member/auth/code"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"phone\":\"" + phone + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);

    String wrong = code.equals("000000") ? "111111" : "000000";
    Http.Response refused = http.post("/api/v1/member/auth/verify", null, "{\"phone\":\"" + phone + "\",\"code\":\"" + wrong + "\"}");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("code_invalid");

    Http.Response in = http.post("/api/v1/member/auth/verify", null, "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"}");
    assertThat(in.status()).isEqualTo(200);
    String token = in.json().get("token").asString();
    assertThat(token).startsWith("pond_ms_");
    int person = in.json().get("personId").asInt();
    // the member is the person OneID knows by that phone
    assertThat(http.get("/api/v1/persons/lookup?type=phone&value=" + phone, ADMIN).json().get("personId").asInt()).isEqualTo(person);
    // a used code does not work twice
    assertThat(http.post("/api/v1/member/auth/verify", null, "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"}").code())
        .isEqualTo("code_expired");

    JsonNode me = http.get("/api/v1/member/me", Http.bearer(token)).json();
    assertThat(me.get("personId").asInt()).isEqualTo(person);
    assertThat(me.get("phone").asString()).doesNotContain(phone.substring(3, 7));

    // a code expires after five minutes
    clock.advance(Duration.ofMinutes(2));
    assertThat(http.post("/api/v1/member/auth/code", null, "{\"phone\":\"" + phone + "\"}").status()).isEqualTo(202);
    String late = codeFromOutbox(http, phone);
    clock.advance(Duration.ofMinutes(6));
    assertThat(http.post("/api/v1/member/auth/verify", null, "{\"phone\":\"" + phone + "\",\"code\":\"" + late + "\"}").code())
        .isEqualTo("code_expired");

    // signing out ends the token
    assertThat(http.post("/api/v1/member/auth/logout", Http.bearer(token), "{}").status()).isEqualTo(204);
    assertThat(http.get("/api/v1/member/me", Http.bearer(token)).code()).isEqualTo("session_expired");
  }

  @Test
  void a_member_token_reaches_only_the_member_center_and_staff_cannot_use_member_paths() {
    Http http = new Http(port);
    String token = signIn(http, newPhone());
    for (String path : new String[] {"/api/v1/users", "/api/v1/persons/lookup?type=phone&value=13800000000", "/api/v1/orders",
        "/api/v1/loyalty/programs", "/api/v1/messages"}) {
      assertThat(http.get(path, Http.bearer(token)).status()).as(path).isEqualTo(403);
    }
    assertThat(http.get("/api/v1/member/me", ADMIN).status()).isEqualTo(403);
    assertThat(http.get("/api/v1/member/me", null).status()).isEqualTo(401);
  }

  @Test
  void the_card_shows_points_and_a_live_member_code_as_qr_and_the_mall_redeems_once_per_request() throws Exception {
    Http http = new Http(port);
    String phone = newPhone();
    String token = signIn(http, phone);
    int person = http.get("/api/v1/member/me", Http.bearer(token)).json().get("personId").asInt();
    String program = "mc" + Long.toString(System.nanoTime(), 36);
    assertThat(http.post("/api/v1/loyalty/programs", ADMIN, "{\"code\":\"" + program + "\",\"name\":\"会员计划\",\"config\":{}}").status())
        .isEqualTo(201);
    assertThat(http.post("/api/v1/loyalty/programs/" + program + "/members/" + person + "/adjustments", ADMIN,
        "{\"idempotencyKey\":\"welcome-" + person + "\",\"points\":500,\"reason\":\"welcome\"}").status()).isEqualTo(200);
    assertThat(http.post("/api/v1/loyalty/programs/" + program + "/mall/items", ADMIN,
        "{\"code\":\"mug\",\"name\":\"马克杯\",\"points\":200,\"stock\":1}").status()).isEqualTo(201);

    JsonNode card = http.get("/api/v1/member/card?program=" + program, Http.bearer(token)).json();
    assertThat(card.get("balance").get("available").asLong()).isEqualTo(500);
    String memberCode = card.get("memberCode").asString();

    HttpResponse<byte[]> png = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/member/card/qr.png?code="
                + URLEncoder.encode(memberCode, StandardCharsets.UTF_8)))
            .header("Authorization", Http.bearer(token)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    var image = ImageIO.read(new ByteArrayInputStream(png.body()));
    String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText();
    assertThat(decoded).isEqualTo(memberCode);
    // a store checks the scanned code; five minutes later it is dead
    assertThat(http.get("/api/v1/member-codes/" + memberCode, ADMIN).json().get("personId").asInt()).isEqualTo(person);
    clock.advance(Duration.ofMinutes(6));
    assertThat(http.get("/api/v1/member-codes/" + memberCode, ADMIN).status()).isEqualTo(400);

    Http.Response redeemed = http.post("/api/v1/member/mall/mug/redeem?program=" + program, Http.bearer(token), "{\"requestId\":\"r1\"}");
    assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
    assertThat(redeemed.json().get("replayed").asBoolean()).isFalse();
    assertThat(http.post("/api/v1/member/mall/mug/redeem?program=" + program, Http.bearer(token), "{\"requestId\":\"r1\"}")
        .json().get("replayed").asBoolean()).isTrue();
    assertThat(http.post("/api/v1/member/mall/mug/redeem?program=" + program, Http.bearer(token), "{\"requestId\":\"r2\"}").code())
        .isEqualTo("out_of_stock");

    JsonNode history = http.get("/api/v1/member/points?program=" + program, Http.bearer(token)).json();
    assertThat(history.get(0).get("points").asLong()).isEqualTo(-200);
    assertThat(history.get(1).get("explanation").asString()).contains("welcome");
    assertThat(http.get("/api/v1/member/me", Http.bearer(token)).json().get("memberships").findValues("available").getFirst().asLong())
        .isEqualTo(300);
  }
}
