package io.pond.profile.cli;

import io.pond.platform.cli.CommandGroup;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import io.pond.profile.metrics.Metrics;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = "Customer 360 maintenance: recompute metrics from the stored orders.",
    subcommands = {ProfileCommand.Recompute.class})
public final class ProfileCommand extends CommandGroup implements PondCommand {

  @Command(
      name = "recompute",
      mixinStandardHelpOptions = true,
      description = {
        "Read every order from commerce again, attribute it to its person through OneID, recompute the RFM",
        "cut points (quintile mode) and every person's metrics. Gives what the live order feed gives; run it",
        "after changing the RFM or CLV settings."
      })
  static final class Recompute implements Callable<Integer> {
    @CommandLine.ParentCommand ProfileCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-progress", description = "Do not draw a progress bar")
    boolean noProgress;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Jobs.withContext(parent.dataDir(), context -> {
        Metrics metrics = context.getBean(Metrics.class);
        long started = System.nanoTime();
        Metrics.Report report;
        if (noProgress) {
          report = metrics.recomputeAll(done -> {}, done -> {});
        } else {
          try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Orders, then persons").setInitialMax(-1)
              .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            report = metrics.recomputeAll(bar::stepTo, bar::stepTo);
          }
        }
        out.printf(Locale.ROOT, "Recomputed the profile metrics: %d orders, %d persons in %.2f s%n", report.orders(),
            report.persons(), (System.nanoTime() - started) / 1e9);
        return 0;
      });
    }
  }
}
