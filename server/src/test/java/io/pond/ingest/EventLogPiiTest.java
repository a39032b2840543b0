package io.pond.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.Persons;
import io.pond.platform.Identifier;
import io.pond.platform.storage.DuckDbStore;
import io.pond.support.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Phones, e-mails, names and addresses that events carry are sealed in the log file and in DuckDB,
 * found by keyed hash, read back in clear by consumers and admins, and masked for everyone else.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=correct-horse", "POND_WRITE_KEY=event_pii_test_write_key_1"})
class EventLogPiiTest {

  static final String WRITE = Http.basic("event_pii_test_write_key_1", "");
  static final String ADMIN = Http.basic("admin", "correct-horse");

  @LocalServerPort int port;
  @Autowired DuckDbStore duckdb;
  @Autowired Persons persons;

  @Test
  void personal_values_are_sealed_at_rest_found_by_hash_opened_for_consumers_and_admins_and_masked_for_others()
      throws Exception {
    Http http = new Http(port);
    String phone = "1390013" + (System.nanoTime() % 9000 + 1000);
    String user = "x" + Long.toHexString(System.nanoTime());
    String body = """
        {"batch":[
          {"type":"identify","userId":"u-pii-%2$s","messageId":"pii-1-%2$s",
           "traits":{"phone":"13800138000","Email":"zoe.pii@example.com","name":"张三丰","plan":"gold","address":{"city":"上海市"},
                     "firstName":"Zoë","手机号":"13600136000"},
           "context":{"externalIds":[{"id":"%1$s","type":"phone","collection":"users"}],"traits":{"phone":"13800138000"}}},
          {"type":"track","event":"Form Submitted","userId":"u-pii-%2$s","messageId":"pii-2-%2$s",
           "properties":{"phone":13700137000,"form":"trial","receiver":{"phone":"13500135000","city":"杭州市"},
                         "products":[{"name":"氨基酸洁面乳","sku":"A1","buyer_mobile":"13400134000"}]},
           "context":{"externalIds":[{"id":"%1$s","type":"phone","collection":"users"}]}},
          {"type":"track","userId":"u-pii-%2$s","messageId":"pii-3-%2$s","properties":{"refused":"no event name","mobile":"%1$s"}}
        ]}""".formatted(phone, user);
    Http.Response accepted = http.post("/v1/batch", WRITE, body);
    assertThat(accepted.status()).isEqualTo(200);
    assertThat(accepted.json().get("rejected").size()).as("the track without an event name").isEqualTo(1);

    // admins read the events as they came, found by the phone (stored as its keyed hash)
    JsonNode page = http.get("/api/v1/events?type=phone&value=" + phone, ADMIN).json();
    assertThat(page.get("total").asLong()).isEqualTo(2);
    JsonNode track = page.get("items").get(0);
    JsonNode identify = page.get("items").get(1);
    assertThat(identify.get("traits").get("phone").asString()).isEqualTo("13800138000");
    assertThat(identify.get("traits").get("Email").asString()).isEqualTo("zoe.pii@example.com");
    assertThat(identify.get("traits").get("name").asString()).isEqualTo("张三丰");
    assertThat(identify.get("traits").get("address").get("city").asString()).isEqualTo("上海市");
    assertThat(identify.get("traits").get("plan").asString()).isEqualTo("gold");
    assertThat(identify.get("context").get("traits").get("phone").asString()).isEqualTo("13800138000");
    assertThat(identify.get("identifiers").toString()).contains(phone);
    assertThat(track.get("properties").get("phone").asLong()).as("a number stays a number").isEqualTo(13700137000L);
    assertThat(track.get("properties").get("form").asString()).isEqualTo("trial");
    assertThat(identify.get("traits").get("firstName").asString()).isEqualTo("Zoë");
    assertThat(identify.get("traits").get("手机号").asString()).isEqualTo("13600136000");
    assertThat(track.get("properties").get("receiver").get("phone").asString()).isEqualTo("13500135000");
    assertThat(track.get("properties").get("products").get(0).get("buyer_mobile").asString()).isEqualTo("13400134000");

    // at rest: neither the DuckDB projection nor the log's segment files hold a personal value
    List<String> personal = List.of(phone, "13800138000", "zoe.pii@example.com", "张三丰", "上海市", "13700137000", "Zoë",
        "13600136000", "13500135000", "13400134000");
    String stored = storedRows("SELECT identifiers, previous, properties, traits, context FROM event_log"
        + " WHERE message_id LIKE 'pii-%" + user + "'");
    assertThat(stored).as("not personal: a product's name, a city outside an address").contains("gold", "trial", "u-pii-" + user,
        "氨基酸洁面乳", "杭州市");
    personal.forEach(v -> assertThat(stored).as("DuckDB event_log").doesNotContain(v));
    String deadLetters = storedRows("SELECT raw FROM dead_letter");
    assertThat(deadLetters).startsWith("z1:").doesNotContain(phone).doesNotContain("no event name");
    String index = storedRows("SELECT value FROM event_identifier WHERE type = 'phone'");
    assertThat(index).doesNotContain(phone).contains("h:");
    String files = segmentFiles(duckdb.file().toAbsolutePath().resolveSibling("event-log"));
    assertThat(files).contains("u-pii-" + user);
    personal.forEach(v -> assertThat(files).as("log segment files").doesNotContain(v));

    // consumers see the clear phone: identity resolved it to the user's person
    Eventually.within(Duration.ofSeconds(20), () -> persons.personOf(Identifier.global(Identifier.PHONE, phone)).isPresent()
        && persons.personOf(Identifier.global(Identifier.PHONE, phone)).equals(persons.personOf(Identifier.global(Identifier.LOGIN_ID, "u-pii-" + user))));

    // anyone else sees them masked
    String viewer = http.signedInUser(ADMIN, "viewer");
    JsonNode shown = http.get("/api/v1/events?type=phone&value=" + phone, viewer).json();
    assertThat(shown.get("total").asLong()).isEqualTo(2);
    String text = shown.toString();
    assertThat(text).contains("138****8000", "z***@example.com", "gold", phone.substring(0, 3) + "****" + phone.substring(7),
        "135****5000", "134****4000", "136****6000", "氨基酸洁面乳");
    personal.forEach(v -> assertThat(text).as("shown to a viewer").doesNotContain(v));

    // the refused record: in clear for admins, not shown to others
    assertThat(http.get("/api/v1/ingest/dead-letters", ADMIN).json().get("items").get(0).get("raw").asString())
        .contains("no event name", phone);
    JsonNode hidden = http.get("/api/v1/ingest/dead-letters", viewer).json().get("items").get(0);
    assertThat(hidden.get("reason").asString()).isNotEmpty();
    assertThat(hidden.hasNonNull("raw")).isFalse();
  }

  @Test
  void a_user_id_that_is_a_phone_number_is_sealed_and_is_the_same_person_as_that_phone() throws Exception {
    Http http = new Http(port);
    String phone = "1370013" + (System.nanoTime() % 9000 + 1000);
    String user = "x" + Long.toHexString(System.nanoTime());
    String body = """
        {"batch":[
          {"type":"track","event":"Signed In","userId":"%1$s","anonymousId":"anon-%2$s","messageId":"pu-1-%2$s"},
          {"type":"identify","userId":"u-%2$s","messageId":"pu-2-%2$s",
           "context":{"externalIds":[{"id":"+86%1$s","type":"phone","collection":"users"}]}}
        ]}""".formatted(phone, user);
    assertThat(http.post("/v1/batch", WRITE, body).status()).isEqualTo(200);

    JsonNode page = http.get("/api/v1/events?type=phone&value=" + phone, ADMIN).json();
    assertThat(page.get("total").asLong()).as("found as a phone, whichever way it was written").isEqualTo(2);
    assertThat(page.get("items").get(1).get("identifiers").toString()).contains("\"phone\"", phone).doesNotContain("login_id");
    assertThat(http.get("/api/v1/events?type=phone&value=%2B86" + phone, ADMIN).json().get("total").asLong()).isEqualTo(2);
    assertThat(http.get("/api/v1/events?type=login_id&value=" + phone, ADMIN).json().get("total").asLong()).isZero();
    String stored = storedRows("SELECT identifiers FROM event_log WHERE message_id = 'pu-1-" + user + "'");
    assertThat(stored).contains("anon-" + user).doesNotContain(phone);
    assertThat(segmentFiles(duckdb.file().toAbsolutePath().resolveSibling("event-log"))).contains("pu-1-" + user)
        .doesNotContain(phone);
    String viewer = http.signedInUser(ADMIN, "viewer");
    assertThat(http.get("/api/v1/events?type=phone&value=" + phone, viewer).json().toString()).doesNotContain(phone);

    // the phone signed in with and the member's phone are one identifier (+86 or not): one person
    Eventually.within(Duration.ofSeconds(20), () -> persons.personOf(Identifier.global(Identifier.ANONYMOUS_ID, "anon-" + user)).isPresent()
        && persons.personOf(Identifier.global(Identifier.ANONYMOUS_ID, "anon-" + user))
            .equals(persons.personOf(Identifier.global(Identifier.LOGIN_ID, "u-" + user))));
  }

  private String storedRows(String sql) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = duckdb.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          out.append(rs.getString(i)).append('\n');
        }
      }
    }
    return out.toString();
  }

  private static String segmentFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".log")).forEach(files::add);
    }
    StringBuilder out = new StringBuilder();
    for (Path f : files) {
      out.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
    }
    return out.toString();
  }
}
