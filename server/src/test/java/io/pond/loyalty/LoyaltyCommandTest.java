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

  @Test
  void import_points_posts_the_good_rows_once_and_reports_the_bad_ones_by_row() throws Exception {
    Jobs.withContext(
        dataDir,
        context -> context.getBean(Programs.class)
            .create("main", "Main", new ProgramConfig(null, null, null, null, "within_balance", null, 0, null, null), "test"));
    java.nio.file.Path csv = java.nio.file.Files.createTempFile("points", ".csv");
    java.nio.file.Files.writeString(csv, """
        person_id,phone,business_id,points,reason,occurred_at
        1,,crm-1,500,balance from the old CRM,2026-01-15 08:00:00
        2,,crm-2,120,,2026-01-15T00:00:00Z
        1,13800001111,crm-3,30,,
        x,,crm-4,10,,
        3,,crm-5,-5,,
        3,,,10,,
        3,,crm-7,10,,tomorrow
        ,13800001111,crm-8,10,,
        """);
    Cli.Run first = Cli.pond("loyalty", "import-points", csv.toString(), "--program", "main", "--source", "old-crm", "--data-dir", dataDir);
    assertThat(first.code()).as(first.out() + first.err()).isEqualTo(3);
    assertThat(first.out()).contains("8 rows, 3 posted, 0 already posted, 5 bad rows");
    assertThat(first.err())
        .contains("row 5: person_id: not a number: x")
        .contains("row 6: points: must be positive")
        .contains("row 7: business_id: must be 1-200 characters")
        .contains("row 8: occurred_at: not a time")
        .contains("row 9: phone: members named by phone or identifier are resolved by OneID in the running server");

    Cli.Run again = Cli.pond("loyalty", "import-points", csv.toString(), "--program", "main", "--source", "old-crm", "--data-dir", dataDir);
    assertThat(again.out()).contains("8 rows, 0 posted, 3 already posted, 5 bad rows");
    Jobs.withContext(
        dataDir,
        context -> {
          io.pond.loyalty.ledger.LedgerQueries queries = context.getBean(io.pond.loyalty.ledger.LedgerQueries.class);
          assertThat(queries.balance("main", new PersonRef(1)).available()).isEqualTo(530);
          assertThat(queries.balance("main", new PersonRef(2)).available()).isEqualTo(120);
          assertThat(context.getBean(JdbcClient.class).sql("SELECT COUNT(*) FROM audit_log WHERE action = 'loyalty.points.imported'")
                  .query(Long.class).single()).isEqualTo(2);
          return null;
        });
    Cli.Run noProgram = Cli.pond("loyalty", "import-points", csv.toString(), "--program", "nope", "--source", "old-crm", "--data-dir", dataDir);
    assertThat(noProgram.code()).isEqualTo(2);
    assertThat(noProgram.err()).contains("Import refused");
  }
}
