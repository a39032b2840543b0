package io.pond.identity.cli;

import io.pond.identity.graph.GraphRebuild;
import io.pond.platform.cli.CommandGroup;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import io.pond.platform.security.Actors;
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
    name = "identity",
    mixinStandardHelpOptions = true,
    description = "OneID maintenance: rebuild the identity graph from the evidence log.",
    subcommands = {IdentityCommand.Rebuild.class})
public final class IdentityCommand extends CommandGroup implements PondCommand {

  @Command(
      name = "rebuild",
      mixinStandardHelpOptions = true,
      description = {
        "Replay the whole evidence log through a fresh graph under the current rules (same guards as live",
        "resolution) and replace the identity map, merges and conflicts atomically. A running server picks",
        "the new graph up within seconds."
      })
  static final class Rebuild implements Callable<Integer> {
    @CommandLine.ParentCommand IdentityCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-progress", description = "Do not draw a progress bar")
    boolean noProgress;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Jobs.withContext(parent.dataDir(), context -> {
        GraphRebuild rebuild = context.getBean(GraphRebuild.class);
        long total = rebuild.evidenceCount();
        GraphRebuild.Report report;
        if (noProgress) {
          report = rebuild.rebuild(Actors.cli(), done -> {});
        } else {
          try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Replaying evidence").setInitialMax(Math.max(1, total))
              .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" evidence", 1).build()) {
            report = rebuild.rebuild(Actors.cli(), bar::stepTo);
          }
        }
        out.printf(Locale.ROOT, "Rebuilt the identity graph from %d evidence: %d identifiers, %d persons, %d merges, %d conflicts%n",
            report.evidence(), report.identifiers(), report.persons(), report.merges(), report.conflicts());
        out.printf(Locale.ROOT, "Replay %.2f s, total %.2f s%n", report.replay().toNanos() / 1e9, report.total().toNanos() / 1e9);
        return 0;
      });
    }
  }
}
