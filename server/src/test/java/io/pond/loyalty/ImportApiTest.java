package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.Evidence;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.ResolvingIdentity;
import io.pond.platform.Identifier;
import io.pond.support.Http;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Points imported in bulk over the API: good rows posted once, bad rows answered with their field, audited. */
class ImportApiTest extends LoyaltyTestSupport {

  private static final String ADMIN = Http.basic("admin", "loyalty-admin-pw");

  @Autowired JdbcClient jdbc;
  @Autowired ResolvingIdentity identity;
  @Autowired Persons persons;

  @Test
  void good_rows_are_posted_once_and_bad_rows_are_answered_with_their_field() {
    String program = simpleProgram("within_balance");
    PersonRef a = newPerson();
    PersonRef b = newPerson();
    String future = clock.instant().plusSeconds(3600).toString();
    String body =
        """
        {"source": "old-crm", "earnings": [
          {"personId": %1$d, "businessId": "bal-1", "points": 500, "reason": "balance from the old CRM"},
          {"personId": %1$d, "businessId": "bal-2", "points": 20},
          {"personId": %2$d, "businessId": "bal-3", "points": 75, "occurredAt": "2026-01-15T08:00:00Z"},
          {"personId": %2$d, "businessId": "bal-4", "points": 0},
          {"personId": %2$d, "businessId": " ", "points": 5},
          {"personId": %2$d, "businessId": "bal-6", "points": 5, "occurredAt": "%3$s"},
          {"personId": %1$d, "businessId": "bal-1", "points": 500},
          {"businessId": "bal-8", "points": 5}
        ]}"""
            .formatted(a.value(), b.value(), future);
    Http http = new Http(port);
    Http.Response first = http.post("/api/v1/loyalty/programs/" + program + "/imports", ADMIN, body);
    assertThat(first.status()).isEqualTo(200);
    JsonNode r = first.json();
    assertThat(r.get("posted").asInt()).isEqualTo(3);
    assertThat(r.get("replayed").asInt()).isEqualTo(1);
    List<String> fields = r.get("rejected").valueStream().map(x -> x.get("index").asInt() + " " + x.get("field").asString()).toList();
    assertThat(fields).containsExactly("3 earnings[3].points", "4 earnings[4].businessId", "5 earnings[5].occurredAt", "7 earnings[7].personId");
    assertThat(balance(program, a).available()).isEqualTo(520);
    assertThat(balance(program, b).available()).isEqualTo(75);

    // the same file again posts nothing
    JsonNode again = http.post("/api/v1/loyalty/programs/" + program + "/imports", ADMIN, body).json();
    assertThat(again.get("posted").asInt()).isZero();
    assertThat(again.get("replayed").asInt()).isEqualTo(4);
    assertThat(balance(program, a).available()).isEqualTo(520);
    assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'loyalty.points.imported' AND target = ? ORDER BY id")
            .param("loyalty_program:" + program).query(String.class).list())
        .containsExactly("source old-crm: 3 posted, 1 already posted, 4 rejected", "source old-crm: 0 posted, 4 already posted, 4 rejected");

    Http.Response noSource = http.post("/api/v1/loyalty/programs/" + program + "/imports", ADMIN, "{\"earnings\": [{\"personId\": 1, \"businessId\": \"x\", \"points\": 1}]}");
    assertThat(noSource.status()).isEqualTo(400);
    assertThat(noSource.json().get("field").asString()).isEqualTo("source");
    assertThat(http.post("/api/v1/loyalty/programs/nope/imports", ADMIN, body).status()).isEqualTo(404);
    assertThat(http.post("/api/v1/loyalty/programs/" + program + "/imports", null, body).status()).isEqualTo(401);
    assertNoDrift();
  }

  @Test
  void rows_that_name_their_member_by_an_identifier_post_to_the_person_oneid_knows_or_creates() {
    String program = simpleProgram("within_balance");
    String suffix = String.format("%08d", java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000_000));
    String knownPhone = "139" + suffix;
    String newPhone = "137" + suffix;
    String unionid = "o6_import_" + suffix;
    PersonId known =
        identity.resolve(Evidence.together("test", clock.instant(), "import-known-" + suffix, Identifier.global(Identifier.PHONE, knownPhone)))
            .person().orElseThrow();
    String body =
        """
        {"source": "old-crm", "earnings": [
          {"identifier": {"type": "phone", "value": " %1$s "}, "businessId": "p-1", "points": 300},
          {"identifier": {"type": "phone", "value": "%2$s"}, "businessId": "p-2", "points": 40},
          {"identifier": {"type": "phone", "value": "%2$s"}, "businessId": "p-3", "points": 2},
          {"identifier": {"type": "wechat_unionid", "value": "%3$s"}, "businessId": "p-4", "points": 7},
          {"identifier": {"type": "phone", "value": "not-a-phone"}, "businessId": "p-5", "points": 5},
          {"identifier": {"type": "shoe_size", "value": "42"}, "businessId": "p-6", "points": 5},
          {"personId": %4$d, "identifier": {"type": "phone", "value": "%1$s"}, "businessId": "p-7", "points": 5},
          {"identifier": {"type": "phone"}, "businessId": "p-8", "points": 5}
        ]}"""
            .formatted(knownPhone, newPhone, unionid, known.value());
    Http http = new Http(port);
    JsonNode r = http.post("/api/v1/loyalty/programs/" + program + "/imports", ADMIN, body).json();
    assertThat(r.get("posted").asInt()).isEqualTo(4);
    List<String> fields = r.get("rejected").valueStream().map(x -> x.get("index").asInt() + " " + x.get("field").asString()).toList();
    assertThat(fields)
        .containsExactly("4 earnings[4].identifier", "5 earnings[5].identifier", "6 earnings[6].identifier", "7 earnings[7].identifier.value");
    assertThat(r.get("rejected").get(0).get("reason").asString()).startsWith("refused by OneID: ");

    // the known phone's person got its points; the unknown phone and unionid became persons that hold theirs
    assertThat(balance(program, new PersonRef(known.value())).available()).isEqualTo(300);
    PersonId created = persons.personOf(Identifier.global(Identifier.PHONE, newPhone)).orElseThrow();
    assertThat(created).isNotEqualTo(known);
    assertThat(balance(program, new PersonRef(created.value())).available()).isEqualTo(42);
    PersonId byUnionid = persons.personOf(Identifier.global(Identifier.WECHAT_UNIONID, unionid)).orElseThrow();
    assertThat(balance(program, new PersonRef(byUnionid.value())).available()).isEqualTo(7);

    // the same file again: nothing posted, nobody created
    JsonNode again = http.post("/api/v1/loyalty/programs/" + program + "/imports", ADMIN, body).json();
    assertThat(again.get("posted").asInt()).isZero();
    assertThat(again.get("replayed").asInt()).isEqualTo(4);
    assertThat(again.get("rejected").valueStream().map(x -> x.get("index").asInt() + " " + x.get("field").asString()).toList())
        .isEqualTo(fields);
    // the junk phone's key was resolved (and refused) the first time: the answer says so
    assertThat(again.get("rejected").get(0).get("reason").asString()).isEqualTo("OneID refused it when this import was first sent, or it was erased since");
    assertThat(persons.personOf(Identifier.global(Identifier.PHONE, newPhone))).contains(created);
    assertThat(balance(program, new PersonRef(created.value())).available()).isEqualTo(42);
    assertNoDrift();
  }
}
