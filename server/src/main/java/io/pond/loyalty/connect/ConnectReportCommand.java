package io.pond.loyalty.connect;

import io.pond.platform.cli.CommandGroup;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pond loyalty connect-report}: the member-connect reconciliation report on the server's stores. */
@Command(
    name = "connect-report",
    mixinStandardHelpOptions = true,
    description = {
      "Compare each bound channel's last acknowledged points and tier with Pond's.",
      "Exit code 0: every binding in sync; 3: some are not (each one is listed)."
    })
public final class ConnectReportCommand implements Callable<Integer>, PondCommand {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--program", description = "Only this program")
  String program;

  @Option(names = "--all", description = "List bindings in sync too")
  boolean all;

  /** The {@code loyalty} group, which carries the inherited {@code --data-dir}. */
  @CommandLine.ParentCommand Object parent;

  @Override
  public String group() {
    return "loyalty";
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String dataDir = parent instanceof CommandGroup group ? group.dataDir() : null;
    return Jobs.withContext(
        dataDir,
        context -> {
          List<ConnectReport.Line> lines = context.getBean(ConnectReport.class).lines(program, false);
          long differing = lines.stream().filter(l -> !l.status().equals("in_sync")).count();
          for (ConnectReport.Line l : lines) {
            if (all || !l.status().equals("in_sync")) {
              out.printf(
                  "%-12s %s %s binding %d (person %d, %s/%s %s): ours %d points %s, acknowledged %s points %s; pending %d, dead %d%n",
                  l.status().toUpperCase(java.util.Locale.ROOT), l.program(), l.connector(), l.bindingId(), l.personId(), l.channel(), l.shop(),
                  l.channelMemberId(), l.points(), l.tier(), l.ackedPoints() == null ? "-" : l.ackedPoints(), l.ackedTier() == null ? "-" : l.ackedTier(),
                  l.pending(), l.dead());
            }
          }
          out.printf("Member-connect: %d bindings, %d in sync, %d not%n", lines.size(), lines.size() - differing, differing);
          return differing == 0 ? 0 : 3;
        });
  }
}
