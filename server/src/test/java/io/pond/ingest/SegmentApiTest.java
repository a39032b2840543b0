package io.pond.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.ingest.log.EventLog;
import io.pond.platform.Identifier;
import io.pond.support.Http;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The Segment HTTP API over real HTTP, down to the event log. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse", "POND_WRITE_KEY=segment_test_write_key_01"})
class SegmentApiTest {

  static final String KEY = "segment_test_write_key_01";
  static final String BASIC = Http.basic(KEY, "");

  @LocalServerPort int port;
  @Autowired EventLog eventLog;
  Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  private List<EventEnvelope> stored(String messageId) {
    return eventLog.read(0, 100_000).stream().filter(e -> e.messageId().equals(messageId)).toList();
  }

  @Test
  void a_track_is_committed_with_typed_identifiers_and_a_repeat_is_stored_once() {
    String id = UUID.randomUUID().toString();
    String body =
        """
        {"messageId":"%s","userId":"u-1","anonymousId":"a-1","event":"Order Completed",
         "properties":{"total":12.5},"context":{"externalIds":[{"id":"o-9","type":"openid","collection":"wx123"}]}}
        """.formatted(id);
    Http.Response first = http.post("/v1/track", BASIC, body);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("success").asBoolean()).isTrue();
    Http.Response again = http.post("/v1/track/", BASIC, body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("deduplicated").asBoolean()).isTrue();

    List<EventEnvelope> events = stored(id);
    assertThat(events).hasSize(1);
    EventEnvelope e = events.getFirst();
    assertThat(e.type()).isEqualTo("track");
    assertThat(e.event()).isEqualTo("Order Completed");
    assertThat(e.link()).isEqualTo(LinkKind.TOGETHER);
    assertThat(e.identifiers())
        .containsExactly(
            Identifier.global("anonymous_id", "a-1"),
            Identifier.global("login_id", "u-1"),
            Identifier.scoped("wechat_openid", "wx123", "o-9"));
    assertThat(e.properties()).containsEntry("total", 12.5);
    assertThat(e.offset()).isPositive();
  }

  @Test
  void the_timestamp_is_corrected_for_client_clock_skew() {
    String id = UUID.randomUUID().toString();
    // the device clock is ten hours ahead: it sent the event 5 s after it happened
    Instant before = Instant.now();
    http.post("/v1/track", BASIC,
        """
        {"messageId":"%s","anonymousId":"a-2","event":"Viewed",
         "originalTimestamp":"2030-01-01T10:00:00Z","sentAt":"2030-01-01T10:00:05Z"}
        """.formatted(id));
    EventEnvelope e = stored(id).getFirst();
    assertThat(e.timestamp()).isEqualTo(e.receivedAt().minusSeconds(5));
    assertThat(e.receivedAt()).isAfterOrEqualTo(before.minusSeconds(1));
  }

  @Test
  void a_batch_keeps_the_good_messages_and_quarantines_the_bad_ones() {
    String good = UUID.randomUUID().toString();
    String bad = UUID.randomUUID().toString();
    String alias = UUID.randomUUID().toString();
    Http.Response r =
        http.post("/v1/batch", null,
            """
            {"writeKey":"%s","context":{"library":{"name":"test"}},"batch":[
              {"type":"identify","messageId":"%s","userId":"u-3","traits":{"name":"Li Lei"}},
              {"type":"track","messageId":"%s","userId":"u-3"},
              {"type":"alias","messageId":"%s","previousId":"a-3","anonymousId":"a-3","userId":"u-3"}]}
            """.formatted(KEY, good, bad, alias));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
    assertThat(r.json().get("rejected").get(0).get("index").asInt()).isEqualTo(1);
    assertThat(r.json().get("rejected").get(0).get("field").asString()).isEqualTo("event");

    EventEnvelope identify = stored(good).getFirst();
    assertThat(identify.traits()).containsEntry("name", "Li Lei");
    assertThat(identify.context()).containsKey("library");
    EventEnvelope aliased = stored(alias).getFirst();
    assertThat(aliased.link()).isEqualTo(LinkKind.ALIAS);
    assertThat(aliased.previous()).isEqualTo(Identifier.global("anonymous_id", "a-3"));
    assertThat(aliased.identifiers()).containsExactly(Identifier.global("login_id", "u-3"));
    assertThat(stored(bad)).isEmpty();

    Http.Response dead = http.get("/api/v1/ingest/dead-letters?size=100", Http.basic("admin", "correct-horse"));
    assertThat(dead.status()).isEqualTo(200);
    assertThat(dead.body()).contains(bad).contains("a track message needs an event name");
  }

  @Test
  void gzip_and_chunked_bodies_are_accepted() throws Exception {
    String id = UUID.randomUUID().toString();
    String body = "{\"batch\":[{\"type\":\"page\",\"name\":\"Home\",\"messageId\":\"" + id + "\",\"anonymousId\":\"a-4\"}]}";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(body.getBytes(StandardCharsets.UTF_8));
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/batch"))
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .header("Authorization", BASIC)
            // an InputStream publisher has no known length: the client sends it chunked
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes.toByteArray())))
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(stored(id)).singleElement().satisfies(e -> assertThat(e.event()).isEqualTo("Home"));
  }

  @Test
  void a_bad_or_missing_write_key_is_refused_with_401_problem_json() {
    String body = "{\"messageId\":\"x\",\"anonymousId\":\"a\",\"event\":\"E\"}";
    Http.Response unknown = http.post("/v1/track", Http.basic("no_such_write_key_000", ""), body);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(unknown.code()).isEqualTo("invalid_credentials");
    Http.Response missing = http.post("/v1/track", null, body);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.code()).isEqualTo("unauthenticated");
  }

  @Test
  void oversize_events_and_batches_are_refused() {
    String big = "x".repeat(33 * 1024);
    Http.Response event =
        http.post("/v1/track", BASIC, "{\"anonymousId\":\"a\",\"event\":\"E\",\"properties\":{\"p\":\"" + big + "\"}}");
    assertThat(event.status()).isEqualTo(413);
    assertThat(event.code()).isEqualTo("payload_too_large");

    // inside a batch an oversize event (counted in UTF-8 bytes: 11,000 × 3) is quarantined, the rest kept
    String wide = "鱼".repeat(11_000);
    Http.Response mixed = http.post("/v1/batch", BASIC,
        "{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"a\",\"event\":\"Big\",\"properties\":{\"p\":\"" + wide
            + "\"}},{\"type\":\"track\",\"anonymousId\":\"a\",\"event\":\"Small\"}]}");
    assertThat(mixed.status()).isEqualTo(200);
    assertThat(mixed.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(mixed.json().get("rejected").get(0).get("index").asInt()).isZero();
    assertThat(mixed.json().get("rejected").get(0).get("reason").asString()).isEqualTo("too_large");

    String huge = "x".repeat(501 * 1024);
    Http.Response body = http.post("/v1/batch", BASIC, "{\"batch\":[],\"pad\":\"" + huge + "\"}");
    assertThat(body.status()).isEqualTo(413);

    StringBuilder many = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < 2501; i++) {
      many.append(i == 0 ? "" : ",").append("{}");
    }
    Http.Response count = http.post("/v1/batch", BASIC, many.append("]}").toString());
    assertThat(count.status()).isEqualTo(413);
    assertThat(count.json().get("field").asString()).isEqualTo("batch");

    Http.Response malformed = http.post("/v1/batch", BASIC, "{\"batch\":[");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("malformed_request");

    Http.Response single = http.post("/v1/track", BASIC, "{\"anonymousId\":\"a\"}");
    assertThat(single.status()).isEqualTo(400);
    assertThat(single.code()).isEqualTo("validation_failed");
    assertThat(single.json().get("field").asString()).isEqualTo("event");
  }
}
