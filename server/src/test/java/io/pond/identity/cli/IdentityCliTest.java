package io.pond.identity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.Evidence;
import io.pond.identity.ResolvingIdentity;
import io.pond.platform.Identifier;
import io.pond.platform.cli.Jobs;
import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code pond identity rebuild} and {@code pond bench identity} as an operator runs them. */
@ExtendWith(Cli.class)
class IdentityCliTest {

  private final String dataDir = IsolatedStores.newDataDir("cli-identity-" + UUID.randomUUID()).toString();





  @Test
  void help_lists_the_identity_and_bench_commands_contributed_by_the_module() {
    assertThat(Cli.pond("--help").out()).contains("identity", "bench");
    assertThat(Cli.pond("identity", "--help").out()).contains("rebuild");
    assertThat(Cli.pond("bench", "--help").out()).contains("identity");
    assertThat(Cli.pond("bench", "identity", "--help").out()).contains("--edges", "DuckDB");
  }

  @Test
  void rebuild_replays_the_stored_evidence_into_the_same_persons() {
    Instant at = Instant.parse("2026-03-01T00:00:00Z");
    Jobs.withContext(dataDir, context -> context.getBean(ResolvingIdentity.class).resolveAll(List.of(
        Evidence.together("web", at, "m1", Identifier.global(Identifier.ANONYMOUS_ID, "a1")),
        Evidence.together("app", at, "m2", Identifier.global(Identifier.ANONYMOUS_ID, "a2"),
            Identifier.global(Identifier.LOGIN_ID, "alice")),
        Evidence.together("web", at, "m3", Identifier.global(Identifier.LOGIN_ID, "alice"),
            Identifier.global(Identifier.ANONYMOUS_ID, "a1")),
        Evidence.together("web", at, "m4", Identifier.global(Identifier.ANONYMOUS_ID, "null")))));

    Cli.Run rebuilt = Cli.pond("identity", "rebuild", "--no-progress", "--data-dir", dataDir);

    assertThat(rebuilt.code()).as(rebuilt.err()).isZero();
    assertThat(rebuilt.out()).contains("Rebuilt the identity graph from 4 evidence: 3 identifiers, 1 persons, 1 merges, 0 conflicts");
    Integer person = Jobs.withContext(dataDir, context -> context.getBean(io.pond.identity.Persons.class)
        .personOf(Identifier.global(Identifier.ANONYMOUS_ID, "a2")).orElseThrow().value());
    assertThat(person).isEqualTo(1);
  }

  @Test
  void the_benchmark_runs_both_engines_and_prints_the_ratio_last() {
    Cli.Run bench = Cli.pond("bench", "identity", "--edges", "5000", "--messages", "3000", "--batch", "500",
        "--data-dir", IsolatedStores.newDataDir("bench-identity-" + UUID.randomUUID()).toString());
    assertThat(bench.code()).as(bench.err()).isZero();
    assertThat(bench.out()).contains("DuckDB agrees", "messages/s acknowledged", "including the OLTP checkpoint");
    String[] lines = bench.out().strip().split("\n");
    assertThat(lines[lines.length - 1]).startsWith("RATIO identity rebuild: Pond").endsWith("x faster");
  }
}
