package io.pond.identity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.Evidence;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.ResolvingIdentity;
import io.pond.platform.Identifier;
import io.pond.platform.cli.Jobs;
import io.pond.platform.pii.PiiCipher;
import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code pond pii rotate-key}: stored phones and e-mails move to a new key and still match. */
@ExtendWith(Cli.class)
class PiiKeyRotationTest {

  private final Path dataDir = IsolatedStores.newDataDir("pii-rotation-" + UUID.randomUUID());
  private final Path keyFile = dataDir.resolve("keys").resolve("pii.key");
  private static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");

  private void resolvePersonalData() {
    Jobs.withContext(dataDir.toString(), context -> context.getBean(ResolvingIdentity.class).resolveAll(List.of(
        Evidence.together("app", AT, "m1", Identifier.global(Identifier.LOGIN_ID, "alice"),
            Identifier.global(Identifier.PHONE, "13800138000")),
        Evidence.together("web", AT, "m2", Identifier.global(Identifier.EMAIL, "Alice@Example.com"),
            Identifier.global(Identifier.ANONYMOUS_ID, "a1")),
        Evidence.together("shop", AT, "m3", Identifier.global(Identifier.PHONE, "+86 138 0013 8000"),
            Identifier.global(Identifier.EMAIL, "alice@example.com")))));
  }

  private List<String> stored(String sql) {
    return Jobs.withContext(dataDir.toString(), context -> context.getBean(JdbcClient.class).sql(sql).query(String.class).list());
  }

  /** Every evidence log file in the data dir, as text (keys are stored as UTF-8). */
  private String evidenceLogText() throws java.io.IOException {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dataDir.resolve("identity"))) {
      for (Path f : files.toList()) {
        all.append(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  @Test
  void after_a_rotation_old_values_decrypt_under_the_new_key_and_lookups_still_match() throws Exception {
    resolvePersonalData();
    String oldKeyId = PiiCipher.keyIdOf(stored("SELECT value_enc FROM identity_identifier WHERE value_enc IS NOT NULL").get(0));
    List<String> oldKeys = stored("SELECT id_key FROM identity_identifier WHERE value_enc IS NOT NULL ORDER BY id");

    Cli.Run run = Cli.pond("pii", "rotate-key", "--no-progress", "--batch", "1", "--data-dir", dataDir.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("identity identifiers and evidence: ");
    assertThat(Files.readAllLines(keyFile)).hasSize(2);
    List<String> sealed = stored("SELECT value_enc FROM identity_identifier WHERE value_enc IS NOT NULL");
    assertThat(sealed).hasSize(2).allSatisfy(v -> assertThat(PiiCipher.keyIdOf(v)).isNotEqualTo(oldKeyId));
    List<String> newKeys = stored("SELECT id_key FROM identity_identifier WHERE value_enc IS NOT NULL ORDER BY id");
    assertThat(newKeys).hasSize(2).doesNotContainAnyElementsOf(oldKeys);
    for (String old : oldKeys) {
      String hash = old.substring(old.indexOf("h:"));
      assertThat(stored("SELECT identifiers FROM identity_evidence")).noneMatch(e -> e.contains(hash));
      assertThat(evidenceLogText()).as("the evidence log keeps no old hash").doesNotContain(hash);
    }
    assertThat(evidenceLogText()).contains("login_id").doesNotContain(oldKeyId + ":"); // sealed values re-sealed
    Jobs.withContext(dataDir.toString(), context -> {
      Persons persons = context.getBean(Persons.class);
      PersonId alice = persons.personOf(Identifier.global(Identifier.LOGIN_ID, "alice")).orElseThrow();
      assertThat(persons.personOf(Identifier.global(Identifier.PHONE, "13800138000"))).contains(alice);
      assertThat(persons.personOf(Identifier.global(Identifier.EMAIL, "alice@example.com"))).contains(alice);
      assertThat(persons.identifiersOf(alice)).contains(Identifier.global(Identifier.PHONE, "+8613800138000"),
          Identifier.global(Identifier.EMAIL, "alice@example.com"));
      return null;
    });
    Cli.Run rebuilt = Cli.pond("identity", "rebuild", "--no-progress", "--data-dir", dataDir.toString());
    assertThat(rebuilt.out()).contains("4 identifiers, 1 persons");

    // the old key can go: nothing needs it any more
    Files.write(keyFile, Files.readAllLines(keyFile).subList(0, 1));
    Jobs.withContext(dataDir.toString(), context -> {
      assertThat(context.getBean(Persons.class).personOf(Identifier.global(Identifier.PHONE, "+8613800138000"))).isPresent();
      return null;
    });
  }

  @Test
  void a_rotation_run_again_with_resume_changes_nothing_more() {
    resolvePersonalData();
    assertThat(Cli.pond("pii", "rotate-key", "--no-progress", "--data-dir", dataDir.toString()).code()).isZero();
    List<String> after = stored("SELECT id_key || value_enc FROM identity_identifier ORDER BY id");

    Cli.Run again = Cli.pond("pii", "rotate-key", "--resume", "--no-progress", "--data-dir", dataDir.toString());

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("identity identifiers and evidence: 0 rows re-keyed");
    assertThat(stored("SELECT id_key || value_enc FROM identity_identifier ORDER BY id")).isEqualTo(after);
  }

  @Test
  void a_value_sealed_under_a_key_missing_from_the_ring_is_a_clear_error() throws Exception {
    resolvePersonalData();
    String oldKeyId = PiiCipher.keyIdOf(stored("SELECT value_enc FROM identity_identifier WHERE value_enc IS NOT NULL").get(0));
    byte[] other = new byte[32];
    other[0] = 7;
    Files.writeString(keyFile, Base64.getEncoder().encodeToString(other) + "\n"); // the old key is lost

    Cli.Run run = Cli.pond("pii", "rotate-key", "--resume", "--no-progress", "--data-dir", dataDir.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("unknown key " + oldKeyId, "POND_PII_RETIRED_KEYS", "--resume");
  }
}
