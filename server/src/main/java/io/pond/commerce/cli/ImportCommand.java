package io.pond.commerce.cli;

import io.pond.commerce.importing.OrderImport;
import io.pond.commerce.order.domain.Channel;
import io.pond.platform.cli.CommandGroup;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import io.pond.platform.errors.PondException;
import io.pond.platform.events.EventBacklog;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Import data files into Pond's stores.",
    subcommands = {ImportCommand.Orders.class})
public final class ImportCommand extends CommandGroup implements PondCommand {

  @Command(
      name = "orders",
      mixinStandardHelpOptions = true,
      description = {
        "Import an order export (CSV or XLSX) from a channel: the platform's own columns, Chinese headers included",
        "(订单编号, 订单状态, 买家实付金额, 商品名称, 下单时间, 付款时间, …). Bad rows are reported; good rows are imported;",
        "importing the same file again changes nothing."
      })
  static final class Orders implements Callable<Integer> {
    @CommandLine.ParentCommand ImportCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The export file (.csv or .xlsx)")
    Path file;

    @Option(names = "--channel", required = true, description = "taobao (also Tmall), doudian, jd, youzan, kuaishou, wechat_shop or native")
    String channel;

    @Option(names = "--shop", description = "The shop's id on the channel, unless the file has a shop column (default: 'default')")
    String shop;

    @Option(names = "--no-progress", description = "Do not draw a progress bar")
    boolean noProgress;

    static final java.time.Duration MEMBERS_WAIT = java.time.Duration.ofMinutes(10);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Channel ch = Channel.fromWire(channel).orElse(null);
      if (ch == null) {
        err.println("--channel must be one of taobao, doudian, jd, youzan, kuaishou, wechat_shop, native (was '" + channel + "')");
        return 2;
      }
      if (!Files.isReadable(file)) {
        err.println("Cannot read " + file);
        return 2;
      }
      return Jobs.withContext(parent.dataDir(), context -> {
        long started = System.nanoTime();
        OrderImport.Result result;
        try (InputStream in = Files.newInputStream(file);
            ProgressBar bar = noProgress ? null : progressBar(file)) {
          result = context.getBean(OrderImport.class).run(in, file.getFileName().toString(), ch, shop, rows -> {
            if (bar != null) {
              bar.stepTo(rows);
            }
          });
        } catch (PondException e) {
          err.println("Import refused: " + e.getMessage());
          return 1;
        } catch (IOException e) {
          err.println("Cannot read " + file + ": " + e.getMessage());
          return 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf("Imported %s: %d rows, %d orders (%d new, %d changed, %d unchanged), %d bad rows, %.1fs%n",
            file.getFileName(), result.rows(), result.orders(), result.created(), result.changed(), result.unchanged(),
            result.badRowCount(), seconds);
        awaitMembers(context.getBean(EventBacklog.class), out);
        result.badRows().stream().limit(20).forEach(b -> err.printf("  row %d: %s%n", b.row(), b.reason()));
        if (result.badRowCount() > 20) {
          err.printf("  … and %d more (GET /api/v1/orders/dead-letters)%n", result.badRowCount() - 20);
        }
        return result.badRowCount() > 0 ? 3 : 0;
      });
    }

    /**
     * Waits while the other modules apply the imported orders (buyers' OneIDs, metrics, points,
     * segments), so that the import is complete when the command returns, and the database is not
     * closed under them; what is left after {@link #MEMBERS_WAIT} continues at the next start.
     */
    private static void awaitMembers(EventBacklog backlog, PrintWriter out) {
      long started = System.nanoTime();
      long[] first = {-1};
      long left = backlog.awaitDrained(MEMBERS_WAIT, open -> {
        if (first[0] < 0 && open > 0) {
          first[0] = open;
          out.printf("Updating members (%d module deliveries: identity, profile, loyalty, segment, offer)…%n", open);
          out.flush();
        }
      });
      if (left > 0) {
        out.printf("%d module deliveries still open after %d minutes; they continue the next time Pond starts.%n", left,
            MEMBERS_WAIT.toMinutes());
      } else if (first[0] > 0) {
        out.printf("Members updated in %.1fs.%n", (System.nanoTime() - started) / 1e9);
      }
    }

    private static ProgressBar progressBar(Path file) throws IOException {
      long lines = Math.max(1, Files.size(file) / 200); // an estimate: ~200 bytes per export row
      return new ProgressBarBuilder()
          .setTaskName("Importing")
          .setInitialMax(lines)
          .setStyle(ProgressBarStyle.ASCII)
          .setUnit(" rows", 1)
          .continuousUpdate()
          .build();
    }
  }
}
