package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.connect.ConnectPublisher;
import io.pond.loyalty.connect.Connectors;
import io.pond.loyalty.membership.Memberships;
import io.pond.loyalty.program.Programs;
import io.pond.platform.cli.Jobs;
import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code pond loyalty connect-report} on a data dir: what the channels acknowledged against Pond's state. */
@ExtendWith(Cli.class)
class ConnectReportCommandTest {

  private final String dataDir = IsolatedStores.newDataDir("loyalty-connect-" + UUID.randomUUID()).toString();

  @Test
  void the_report_lists_bindings_not_yet_acknowledged_and_exits_zero_once_the_channel_caught_up() throws Exception {
    try (LocalChannel channel = new LocalChannel("report-secret")) {
      Jobs.withContext(
          dataDir,
          context -> {
            context.getBean(Programs.class).create("main", "Main", MemberConnectTest.connected(), "test");
            context.getBean(Connectors.class).save("main", "pos-hook",
                new Connectors.Settings("webhook", "pos", "*", null, "report-secret", null, channel.url("/webhook"), true));
            context.getBean(Memberships.class).join(new Memberships.Join("main", "pos", "store-1", "card-77", "member_no", "13800001111", null));
            return null;
          });

      Cli.Run behind = Cli.pond("loyalty", "connect-report", "--data-dir", dataDir);
      assertThat(behind.code()).as(behind.out() + behind.err()).isEqualTo(3);
      assertThat(behind.out()).contains("PENDING").contains("card-77").contains("ours 10 points L1, acknowledged - points -");

      Jobs.withContext(dataDir, context -> context.getBean(ConnectPublisher.class).publishDue());

      Cli.Run caughtUp = Cli.pond("loyalty", "connect-report", "--all", "--data-dir", dataDir);
      assertThat(caughtUp.code()).as(caughtUp.out() + caughtUp.err()).isZero();
      assertThat(caughtUp.out()).contains("IN_SYNC").contains("Member-connect: 1 bindings, 1 in sync, 0 not");
      assertThat(channel.appliedInOrder).hasSize(2);
    }
  }
}
