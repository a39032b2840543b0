package io.pond.platform.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * A command that groups subcommands ({@code pond keys …}, {@code pond loyalty …}): alone it prints its
 * usage, and it carries the {@code --data-dir} option that its subcommands inherit.
 */
public abstract class CommandGroup implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT, description = "Data directory (overrides POND_DATA_DIR)")
  String dataDir;

  /** The data directory given on the command line, or null for {@code POND_DATA_DIR} / the default. */
  public String dataDir() {
    return dataDir;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
