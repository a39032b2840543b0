package io.pond.loyalty.cli;

import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.platform.cli.CommandGroup;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pond loyalty …}: ledger maintenance from the command line, on the server's stores. */
@Command(
    name = "loyalty",
    mixinStandardHelpOptions = true,
    description = "Loyalty ledger maintenance.",
    subcommands = {LoyaltyCommand.Reconcile.class})
public final class LoyaltyCommand extends CommandGroup implements PondCommand {

  @Command(
      name = "reconcile",
      mixinStandardHelpOptions = true,
      description = {
        "Recompute every account from its entries, lots and allocations and report any drift.",
        "Exit code 0: no drift; 3: drift found (each one is listed)."
      })
  static final class Reconcile implements Callable<Integer> {
    @CommandLine.ParentCommand LoyaltyCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-progress", description = "Do not draw a progress bar")
    boolean noProgress;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Jobs.withContext(
          parent.dataDir(),
          context -> {
            LedgerQueries ledger = context.getBean(LedgerQueries.class);
            List<Long> accounts = ledger.accountIds();
            List<LedgerQueries.Drift> drifts = new ArrayList<>();
            ProgressBarBuilder bar =
                new ProgressBarBuilder()
                    .setTaskName("Reconciling")
                    .setInitialMax(accounts.size())
                    .setUnit(" accounts", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(200);
            if (noProgress) {
              accounts.forEach(id -> drifts.addAll(ledger.reconcile(id)));
            } else {
              try (ProgressBar progress = bar.build()) {
                for (long id : accounts) {
                  drifts.addAll(ledger.reconcile(id));
                  progress.step();
                }
              }
            }
            for (LedgerQueries.Drift d : drifts) {
              out.printf(
                  "DRIFT account %d (person %d): %s: stored %d, recomputed %d%n",
                  d.accountId(), d.personId(), d.what(), d.stored(), d.recomputed());
            }
            out.printf("Reconciled %d accounts: %s%n", accounts.size(), drifts.isEmpty() ? "no drift" : drifts.size() + " drifts");
            return drifts.isEmpty() ? 0 : 3;
          });
    }
  }
}
