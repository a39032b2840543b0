package io.pond.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.ingest.log.EventLog;
import io.pond.platform.Identifier;
import io.pond.support.Http;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Sensors Data's wire format at /sa, /sa.gif and the debug paths. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse", "POND_WRITE_KEY=sensors_test_write_key_1"})
class SensorsApiTest {

  static final String KEY = "sensors_test_write_key_1";

  @LocalServerPort int port;
  @Autowired EventLog eventLog;
  final HttpClient client = HttpClient.newHttpClient();

  record Answer(int status, String body) {}

  private Answer form(String path, String form, String dryRun) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (dryRun != null) {
      b.header("Dry-Run", dryRun);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  private static String gzipBase64(String json) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return URLEncoder.encode(Base64.getEncoder().encodeToString(bytes.toByteArray()), StandardCharsets.UTF_8);
  }

  private static String base64(String json) {
    return URLEncoder.encode(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  private List<EventEnvelope> withIdentifier(Identifier id) {
    return eventLog.read(0, 100_000).stream().filter(e -> e.identifiers().contains(id)).toList();
  }

  @Test
  void a_gzip_data_list_with_identities_is_stored_once_even_when_resent() throws Exception {
    String user = "u-" + UUID.randomUUID();
    String records =
        """
        [{"type":"track","event":"PayOrder","distinct_id":"%s","time":1700000000000,"_track_id":12345,
          "_flush_time":1700000000500,
          "identities":{"$identity_login_id":"%s","$identity_mp_wx8888_openid":"oX-1","$identity_mp_unionid":"uX-1"},
          "lib":{"$lib":"MiniProgram"},"properties":{"order_amount":100,"$is_login_id":true}},
         {"type":"profile_set","distinct_id":"%s","time":1700000000000,"_track_id":2,"properties":{"level":"gold","$is_login_id":true}}]
        """.formatted(user, user, user);
    String form = "gzip=1&data_list=" + gzipBase64(records);
    Answer first = form("/sa?project=default&token=" + KEY, form, null);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).contains("\"accepted\":2");
    Answer resent = form("/sa?project=default&token=" + KEY, form, null);
    assertThat(resent.body()).contains("\"deduplicated\":2");

    List<EventEnvelope> events = withIdentifier(Identifier.global("login_id", user));
    assertThat(events).hasSize(2);
    EventEnvelope pay = events.stream().filter(e -> e.type().equals("track")).findFirst().orElseThrow();
    assertThat(pay.identifiers())
        .contains(Identifier.scoped("wechat_openid", "wx8888", "oX-1"), Identifier.global("wechat_unionid", "uX-1"));
    // the SDK sent it 500 ms after it happened, by its own clock
    assertThat(pay.timestamp()).isEqualTo(pay.receivedAt().minusMillis(500));
    EventEnvelope profile = events.stream().filter(e -> e.type().equals("profile_set")).findFirst().orElseThrow();
    assertThat(profile.traits()).containsEntry("level", "gold");
  }

  @Test
  void a_single_web_event_arrives_by_get_sa_gif() throws Exception {
    String anon = "anon-" + UUID.randomUUID();
    String data = base64("{\"type\":\"track\",\"event\":\"$pageview\",\"distinct_id\":\"" + anon
        + "\",\"time\":1700000000000,\"properties\":{\"$url\":\"https://shop.example/\"}}");
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sa.gif?project=p&token=" + KEY + "&data=" + data)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(withIdentifier(Identifier.global("anonymous_id", anon)))
        .singleElement()
        .satisfies(e -> assertThat(e.event()).isEqualTo("$pageview"));
  }

  @Test
  void bad_records_are_quarantined_and_debug_mode_refuses_them() throws Exception {
    String user = "bad-" + UUID.randomUUID();
    String records =
        """
        [{"type":"track","event":"Ok","distinct_id":"%s","time":1700000000000},
         {"type":"track","event":"Bad","distinct_id":"%s","time":1700000000000,"properties":{"user_id":"x"}},
         {"type":"track","event":"Bad","distinct_id":"%s","time":1700000000000,"identities":{"$identity_nope":"x"}}]
        """.formatted(user, user, user);
    Answer normal = form("/sa?token=" + KEY, "gzip=0&data_list=" + base64(records), null);
    assertThat(normal.status()).isEqualTo(200);
    assertThat(normal.body()).contains("\"accepted\":1").contains("\"rejected\":2");

    Http http = new Http(port);
    String dead = http.get("/api/v1/ingest/dead-letters?size=50", Http.basic("admin", "correct-horse")).body();
    assertThat(dead).contains("undefined_identity").contains("'user_id' is a reserved name");

    Answer debug = form("/sa/debug?token=" + KEY, "data_list=" + base64(records), null);
    assertThat(debug.status()).isEqualTo(400);
    assertThat(debug.body()).contains("\"field\":\"properties.user_id\"").contains("\"code\":\"validation_failed\"");

    String fresh = "dry-" + UUID.randomUUID();
    Answer dry = form("/debug?token=" + KEY,
        "data=" + base64("{\"type\":\"track\",\"event\":\"Ok\",\"distinct_id\":\"" + fresh + "\"}"), "true");
    assertThat(dry.status()).isEqualTo(200);
    assertThat(dry.body()).contains("\"dryRun\":true").contains("\"accepted\":1");
    assertThat(withIdentifier(Identifier.global("anonymous_id", fresh))).isEmpty();

    Answer badKey = form("/sa?token=nope_nope_nope_nope", "data=" + base64("{}"), null);
    assertThat(badKey.status()).isEqualTo(401);
  }
}
