package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.ledger.PointsLedger;
import io.pond.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The console's account list and the ledger reconciliation over the API. */
class AccountsApiTest extends LoyaltyTestSupport {

  private static final String ADMIN = Http.basic("admin", "loyalty-admin-pw");

  @Autowired JdbcClient jdbc;

  @Test
  void accounts_are_paged_newest_first_and_filtered_by_tier() {
    String program = simpleProgram("within_balance");
    PersonRef a = newPerson();
    PersonRef b = newPerson();
    PersonRef c = newPerson();
    for (PersonRef p : new PersonRef[] {a, b, c}) {
      ledger.adjust(program, p, new PointsLedger.Key("test", "adjustment", "k" + p.value()), 10L * p.value(), "welcome", "test");
      clock.advance(java.time.Duration.ofMinutes(1));
    }
    Http http = new Http(port);
    JsonNode page = http.get("/api/v1/loyalty/programs/" + program + "/accounts?limit=2", ADMIN).json();
    assertThat(page.get("total").asLong()).isEqualTo(3);
    assertThat(page.get("items").size()).isEqualTo(2);
    assertThat(page.get("items").get(0).get("personId").asInt()).isEqualTo(c.value());
    assertThat(page.get("items").get(0).get("available").asLong()).isEqualTo(10L * c.value());
    JsonNode next = http.get("/api/v1/loyalty/programs/" + program + "/accounts?limit=2&offset=2", ADMIN).json();
    assertThat(next.get("items").get(0).get("personId").asInt()).isEqualTo(a.value());
    String lowest = next.get("items").get(0).get("tier").asString();
    assertThat(http.get("/api/v1/loyalty/programs/" + program + "/accounts?tier=" + lowest, ADMIN).json().get("total").asLong()).isEqualTo(3);

    Http.Response bad = http.get("/api/v1/loyalty/programs/" + program + "/accounts?tier=nope", ADMIN);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asString()).isEqualTo("tier");
  }

  @Test
  void reconciliation_pages_through_accounts_and_reports_a_drift() {
    String program = simpleProgram("within_balance");
    PersonRef a = newPerson();
    PersonRef b = newPerson();
    ledger.adjust(program, a, new PointsLedger.Key("test", "adjustment", "r" + a.value()), 100, "welcome", "test");
    ledger.adjust(program, b, new PointsLedger.Key("test", "adjustment", "r" + b.value()), 50, "welcome", "test");
    Http http = new Http(port);
    JsonNode first = http.get("/api/v1/loyalty/programs/" + program + "/reconciliation?limit=1", ADMIN).json();
    assertThat(first.get("checked").asInt()).isEqualTo(1);
    assertThat(first.get("drifts").size()).isZero();
    long after = first.get("nextAfter").asLong();
    JsonNode second = http.get("/api/v1/loyalty/programs/" + program + "/reconciliation?limit=1&after=" + after, ADMIN).json();
    assertThat(second.get("checked").asInt()).isEqualTo(1);
    assertThat(second.path("nextAfter").isNull() || second.path("nextAfter").isMissingNode()).isTrue();

    jdbc.sql("UPDATE loyalty_account SET available = available + 7 WHERE person_id = ? AND program_id = (SELECT id FROM loyalty_program WHERE code = ?)")
        .params(b.value(), program).update();
    JsonNode all = http.get("/api/v1/loyalty/programs/" + program + "/reconciliation", ADMIN).json();
    assertThat(all.get("checked").asInt()).isEqualTo(2);
    assertThat(all.get("drifts").toString()).contains("\"personId\":" + b.value()).contains("\"stored\":57").contains("\"recomputed\":50");

    // the context is shared: put the account right again, or the other tests' drift checks see it
    jdbc.sql("UPDATE loyalty_account SET available = available - 7 WHERE person_id = ? AND program_id = (SELECT id FROM loyalty_program WHERE code = ?)")
        .params(b.value(), program).update();
    assertThat(http.get("/api/v1/loyalty/programs/" + program + "/reconciliation", ADMIN).json().get("drifts").size()).isZero();
  }
}
