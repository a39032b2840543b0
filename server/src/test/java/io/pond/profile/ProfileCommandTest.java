package io.pond.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.commerce.order.NativeOrder;
import io.pond.commerce.order.Orders;
import io.pond.identity.Evidence;
import io.pond.identity.ResolvingIdentity;
import io.pond.platform.Identifier;
import io.pond.platform.cli.Jobs;
import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code pond profile recompute} on a data dir, as an operator runs it. */
@ExtendWith(Cli.class)
class ProfileCommandTest {

  private final String dataDir = IsolatedStores.newDataDir("profile-cli-" + UUID.randomUUID()).toString();

  @Test
  void recompute_rebuilds_every_persons_metrics_from_the_stored_orders() {
    Instant t = Instant.parse("2026-04-01T02:00:00Z");
    Jobs.withContext(dataDir, context -> {
      Orders orders = context.getBean(Orders.class);
      ResolvingIdentity identity = context.getBean(ResolvingIdentity.class);
      for (int i = 1; i <= 3; i++) {
        identity.resolve(Evidence.together("test", t, "buyer-" + i, Identifier.global("login_id", "buyer-" + i)));
        for (int n = 0; n < i; n++) {
          NativeOrder o = new NativeOrder("jd", "s1", "cli-" + i + "-" + n, "PAID", t.plusSeconds(60L * n), 10_000L * i, null, null,
              t.plusSeconds(60L * n), t.plusSeconds(60L * n), null, null, null, null,
              List.of(new NativeOrder.Buyer("login_id", null, "buyer-" + i)), null, null);
          orders.upsert(List.of(o.toMessage("{}")));
        }
      }
      // whatever the live feed did before the job ended, start from nothing
      JdbcClient jdbc = context.getBean(JdbcClient.class);
      for (String table : List.of("profile_order_category", "profile_refund", "profile_order", "profile_metrics")) {
        jdbc.sql("DELETE FROM " + table).update();
      }
      return null;
    });

    Cli.Run run = Cli.pond("profile", "recompute", "--no-progress", "--data-dir", dataDir);
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("Recomputed the profile metrics: 6 orders, 3 persons");

    List<Map<String, Object>> rows = Jobs.withContext(dataDir, context -> context.getBean(JdbcClient.class)
        .sql("SELECT order_count, spend_fen FROM profile_metrics ORDER BY order_count").query().listOfRows());
    assertThat(rows).extracting(r -> ((Number) r.get("order_count")).intValue()).containsExactly(1, 2, 3);
    assertThat(rows).extracting(r -> ((Number) r.get("spend_fen")).longValue()).containsExactly(10_000L, 40_000L, 90_000L);
    assertThat(Cli.pond("--help").out()).contains("profile");
  }
}
