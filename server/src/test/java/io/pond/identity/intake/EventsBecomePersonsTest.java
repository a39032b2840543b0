package io.pond.identity.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Events sent by a Segment client and by a Sensors mini-program end up as one OneID (issues 3 and 4). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse", "POND_WRITE_KEY=identity_intake_key_0001", "pond.ingest.consumers.poll-interval=100ms"})
class EventsBecomePersonsTest {

  private static final String ADMIN = Http.basic("admin", "correct-horse");
  private static final String WRITE = Http.basic("identity_intake_key_0001", "");

  @LocalServerPort int port;

  @Test
  void a_web_visitor_who_logs_in_and_aliases_is_one_person_with_all_identifiers() throws Exception {
    Http http = new Http(port);
    assertThat(http.post("/v1/track", WRITE, """
        {"messageId":"m-1","anonymousId":"anon-7","event":"Viewed Product"}""").status()).isEqualTo(200);
    assertThat(http.post("/v1/identify", WRITE, """
        {"messageId":"m-2","anonymousId":"anon-7","userId":"member-42","traits":{"name":"Li"}}""").status()).isEqualTo(200);
    assertThat(http.post("/v1/alias", WRITE, """
        {"messageId":"m-3","anonymousId":"cookie-old","previousId":"cookie-old","userId":"member-42"}""").status()).isEqualTo(200);
    // a repeat of an event is evidence only once
    assertThat(http.post("/v1/identify", WRITE, """
        {"messageId":"m-2","anonymousId":"anon-7","userId":"member-42"}""").status()).isEqualTo(200);

    JsonNode person = awaitPerson(http, "login_id", "member-42", 3);
    Set<String> values =
        person.get("identifiers").valueStream().map(i -> i.get("value").asString()).collect(Collectors.toSet());
    assertThat(values).containsExactlyInAnyOrder("anon-7", "member-42", "cookie-old");
    JsonNode viaAnonymous = http.get("/api/v1/persons/lookup?type=anonymous_id&value=anon-7", ADMIN).json();
    assertThat(viaAnonymous.get("personId").asInt()).isEqualTo(person.get("personId").asInt());
  }

  @Test
  void a_sensors_signup_links_the_anonymous_id_to_the_login_id() throws Exception {
    Http http = new Http(port);
    String record = """
        {"type":"track_signup","event":"$SignUp","time":1763800000000,"distinct_id":"sensors-user-9",
         "original_id":"sensors-anon-9","properties":{"$lib":"MiniProgram"}}""";
    String data = java.util.Base64.getEncoder().encodeToString(record.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    var response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/sa?project=default&token=identity_intake_key_0001"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "gzip=0&data=" + java.net.URLEncoder.encode(data, java.nio.charset.StandardCharsets.UTF_8)))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    JsonNode person = awaitPerson(http, "login_id", "sensors-user-9", 2);
    List<String> values = person.get("identifiers").valueStream().map(i -> i.get("value").asString()).toList();
    assertThat(values).contains("sensors-user-9", "sensors-anon-9");
  }

  @Test
  void a_persons_events_are_those_of_all_its_identifiers_paged_newest_first() throws Exception {
    Http http = new Http(port);
    assertThat(http.post("/v1/track", WRITE, """
        {"messageId":"e-1","anonymousId":"anon-e","event":"Opened App"}""").status()).isEqualTo(200);
    assertThat(http.post("/v1/track", WRITE, """
        {"messageId":"e-2","userId":"member-e","event":"Paid",
         "context":{"externalIds":[{"id":"13900139000","type":"phone","collection":"users","encoding":"none"}]}}""")
        .status()).isEqualTo(200);
    assertThat(http.post("/v1/track", WRITE, """
        {"messageId":"e-3","anonymousId":"someone-else","event":"Opened App"}""").status()).isEqualTo(200);
    // the anonymous visitor and the member become one person (two persons merged)
    assertThat(http.post("/v1/alias", WRITE, """
        {"messageId":"e-4","anonymousId":"anon-e","previousId":"anon-e","userId":"member-e"}""").status()).isEqualTo(200);
    int person = awaitPerson(http, "login_id", "member-e", 3).get("personId").asInt();

    JsonNode first = http.get("/api/v1/persons/" + person + "/events?size=2", ADMIN).json();
    JsonNode second = http.get("/api/v1/persons/" + person + "/events?size=2&page=1", ADMIN).json();

    assertThat(first.get("total").asLong()).isEqualTo(3);
    assertThat(first.get("identifiers").asInt()).isEqualTo(3);
    List<String> ids = new java.util.ArrayList<>();
    first.get("items").forEach(e -> ids.add(e.get("messageId").asString()));
    second.get("items").forEach(e -> ids.add(e.get("messageId").asString()));
    assertThat(ids).containsExactly("e-4", "e-2", "e-1");
    assertThat(http.get("/api/v1/persons/" + person + "/events?size=0", ADMIN).code()).isEqualTo("validation_failed");
  }

  private static JsonNode awaitPerson(Http http, String type, String value, int identifiers) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    Http.Response last = null;
    while (System.nanoTime() < deadline) {
      last = http.get("/api/v1/persons/lookup?type=" + type + "&value=" + value, ADMIN);
      if (last.status() == 200 && last.json().get("identifiers").size() >= identifiers) {
        return last.json();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no person with " + identifiers + " identifiers for " + value + ": " + (last == null ? "" : last.body()));
  }
}
