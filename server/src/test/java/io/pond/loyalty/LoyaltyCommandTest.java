package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.platform.cli.Jobs;
import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code pond loyalty reconcile} on a data dir, as an operator runs it. */
@ExtendWith(Cli.class)
class LoyaltyCommandTest {

  private final String dataDir = IsolatedStores.newDataDir("loyalty-cli-" + UUID.randomUUID()).toString();





  @Test
  void reconcile_reports_no_drift_on_a_sound_ledger_and_names_the_drift_after_tampering() {
    Jobs.withContext(
        dataDir,
        context -> {
          Programs programs = context.getBean(Programs.class);
          programs.create("main", "Main", new ProgramConfig(null, null, null, null, "within_balance", null, 0, null, null), "test");
          OrderPoints orders = context.getBean(OrderPoints.class);
          for (int person = 1; person <= 5; person++) {
            orders.paid(new OrderPoints.PaidOrder("main", new PersonRef(person), "youzan", "s", "o" + person,
                List.of(new OrderPoints.Line("tea", 10_000L * person)), Instant.now()));
            orders.completed(new OrderPoints.CompletedOrder("main", new PersonRef(person), "youzan", "s", "o" + person, Instant.now()));
            context.getBean(PointsLedger.class)
                .redeem("main", new PersonRef(person), new PointsLedger.Key("mall", "redemption", "r"), 50, "gift", "test");
          }
          return null;
        });

    Cli.Run sound = Cli.pond("loyalty", "reconcile", "--no-progress", "--data-dir", dataDir);
    assertThat(sound.code()).as(sound.out()).isZero();
    assertThat(sound.out()).contains("Reconciled 5 accounts: no drift");

    Jobs.withContext(
        dataDir,
        context ->
            context.getBean(JdbcClient.class).sql("UPDATE loyalty_account SET available = available + 7 WHERE person_id = 3").update());

    Cli.Run drift = Cli.pond("loyalty", "reconcile", "--no-progress", "--data-dir", dataDir);
    assertThat(drift.code()).isEqualTo(3);
    assertThat(drift.out()).contains("DRIFT account").contains("(person 3): available = Σ entries: stored 257, recomputed 250");
    assertThat(Cli.pond("--help").out()).contains("loyalty");
  }
}
