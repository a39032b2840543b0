package io.pond.platform.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pond}: the one entry point of the jar. {@code start} (or no command) runs the server; other
 * commands run a short job against the same stores and exit.
 */
@Command(
    name = "pond",
    mixinStandardHelpOptions = true,
    versionProvider = PondCli.Version.class,
    description = "Pond (鱼塘): private-domain customer data platform with omni-channel membership.",
    subcommands = {
      StartCommand.class,
      KeysCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nOther commands:%n",
    footer = {
      "  test          Build and run the whole test suite (./pond test, from a checkout)",
      "  bench ingest  Ingestion throughput, group commit vs one commit per request (bench/ingest/run.sh)",
      "",
      "Settings come from POND_* environment variables; see README.md."
    })
public final class PondCli implements Runnable {

  /** Returned by {@link #run} when the server was started and the JVM must stay up. */
  public static final int KEEP_RUNNING = Integer.MIN_VALUE;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = withModuleCommands(new CommandLine(new PondCli())).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      if (e instanceof Jobs.JobRefused) {
        command.getErr().println(e.getMessage());
        return 1;
      }
      throw e;
    });
    String[] effective = args.length == 0 ? new String[] {"start"} : args;
    int code = cli.execute(effective);
    if (code == 0 && "start".equals(effective[0]) && StartCommand.started()) {
      return KEEP_RUNNING;
    }
    return code;
  }

  /** Adds the commands that modules contribute (see {@link PondCommand}), grouping them where asked. */
  static CommandLine withModuleCommands(CommandLine cli) {
    for (PondCommand command : java.util.ServiceLoader.load(PondCommand.class)) {
      if (command.group().isEmpty()) {
        cli.addSubcommand(command);
        continue;
      }
      CommandLine group = cli.getSubcommands().get(command.group());
      if (group == null) {
        group = new CommandLine(new Group());
        group.getCommandSpec().name(command.group());
        group.getCommandSpec().usageMessage().description("bench".equals(command.group())
            ? "Run a benchmark next to a peer and print the ratio on the last line." : command.group() + " commands.");
        cli.addSubcommand(command.group(), group);
      }
      group.addSubcommand(command);
    }
    return cli;
  }

  /** A command that only groups others ({@code pond bench …}); alone, it prints its usage. */
  @Command(mixinStandardHelpOptions = true)
  static final class Group implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = PondCli.class.getPackage().getImplementationVersion();
      return new String[] {"pond " + (version == null ? "development build" : version)};
    }
  }
}
