package io.pond.identity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.Evidence;
import io.pond.identity.PersonId;
import io.pond.identity.Resolution;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The evidence log is the truth and the OLTP tables a checkpoint of it: evidence is durable once
 * resolveAll returns, repeat sightings write nothing to the OLTP tables, and what the checkpoint did not
 * cover when the process died is applied again at load.
 */
@SpringBootTest
class EvidenceLogRecoveryTest {

  private static final Instant AT = Instant.parse("2026-05-01T00:00:00Z");

  @Autowired IdentityGraphService service;
  @Autowired JdbcClient jdbc;

  private int count(String sql, Object... params) {
    return jdbc.sql(sql).params(params).query(Integer.class).single();
  }

  @Test
  void evidence_acknowledged_but_not_checkpointed_survives_a_crash() {
    String s = UUID.randomUUID().toString();
    service.checkpoint();
    List<Resolution> answers = service.resolveAll(List.of(
        Evidence.together("app", AT, "a-" + s, Identifier.global(Identifier.ANONYMOUS_ID, "anon-" + s),
            Identifier.global(Identifier.DEVICE_ID, "dev-" + s)),
        Evidence.together("app", AT, "b-" + s, Identifier.global(Identifier.LOGIN_ID, "user-" + s),
            Identifier.global(Identifier.ANONYMOUS_ID, "anon-" + s))));
    PersonId person = answers.get(0).person().orElseThrow();
    assertThat(answers.get(1).person()).contains(person);
    assertThat(count("SELECT COUNT(*) FROM identity_identifier WHERE plain_value = ?", "user-" + s))
        .as("not checkpointed yet: no merge, far below the checkpoint size").isZero();

    service.load(); // what a restart after a crash does: memory is gone, the checkpoint and the log remain

    assertThat(service.personOf(Identifier.global(Identifier.LOGIN_ID, "user-" + s))).contains(person);
    assertThat(service.personOf(Identifier.global(Identifier.DEVICE_ID, "dev-" + s))).contains(person);
    assertThat(service.resolve(Evidence.together("app", AT, "b-" + s, Identifier.global(Identifier.LOGIN_ID, "user-" + s)))
        .outcome()).as("idempotency survives too").isEqualTo(new Resolution.Outcome.Unchanged(true));
    service.checkpoint();
    assertThat(count("SELECT COUNT(*) FROM identity_identifier WHERE person_id = ?", person.value())).isEqualTo(3);
    assertThat(service.loggedCount("b-" + s)).isEqualTo(1);
  }

  @Test
  void repeat_sightings_write_nothing_to_the_oltp_tables() {
    String s = UUID.randomUUID().toString();
    service.resolve(Evidence.together("app", AT, "first-" + s, Identifier.global(Identifier.ANONYMOUS_ID, "anon-" + s),
        Identifier.global(Identifier.LOGIN_ID, "user-" + s)));
    service.checkpoint();
    int evidence = count("SELECT COUNT(*) FROM identity_evidence");
    int edges = count("SELECT COUNT(*) FROM identity_evidence_node");
    int nodes = count("SELECT COUNT(*) FROM identity_identifier");

    for (int i = 0; i < 20; i++) {
      Resolution r = service.resolve(Evidence.together("app", AT.plusSeconds(i), "again-" + i + "-" + s,
          Identifier.global(Identifier.ANONYMOUS_ID, "anon-" + s), Identifier.global(Identifier.LOGIN_ID, "user-" + s)));
      assertThat(r.outcome()).isEqualTo(new Resolution.Outcome.Unchanged(false));
    }
    service.checkpoint();

    assertThat(count("SELECT COUNT(*) FROM identity_evidence")).isEqualTo(evidence);
    assertThat(count("SELECT COUNT(*) FROM identity_evidence_node")).isEqualTo(edges);
    assertThat(count("SELECT COUNT(*) FROM identity_identifier")).isEqualTo(nodes);
    assertThat(service.loggedCount("again-7-" + s)).as("but every sighting is in the evidence log").isEqualTo(1);
  }

  @Test
  void a_merge_is_checkpointed_before_the_caller_is_answered() {
    String s = UUID.randomUUID().toString();
    service.resolve(Evidence.together("app", AT, "x-" + s, Identifier.global(Identifier.ANONYMOUS_ID, "x-" + s)));
    service.resolve(Evidence.together("app", AT, "y-" + s, Identifier.global(Identifier.LOGIN_ID, "y-" + s)));
    Resolution merged = service.resolve(Evidence.together("app", AT, "xy-" + s,
        Identifier.global(Identifier.LOGIN_ID, "y-" + s), Identifier.global(Identifier.ANONYMOUS_ID, "x-" + s)));
    assertThat(merged.outcome()).isInstanceOf(Resolution.Outcome.Merged.class);
    // no explicit checkpoint: the merge, its evidence and the moved identifiers are in the tables already
    assertThat(count("SELECT COUNT(*) FROM identity_merge m JOIN identity_evidence e ON e.seq = m.evidence_seq"
        + " WHERE e.idem_key = ?", "xy-" + s)).isEqualTo(1);
    assertThat(count("SELECT COUNT(DISTINCT person_id) FROM identity_identifier WHERE plain_value IN (?, ?)", "x-" + s, "y-" + s))
        .isEqualTo(1);
  }
}
