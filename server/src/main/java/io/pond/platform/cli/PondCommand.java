package io.pond.platform.cli;

/**
 * A command that a module contributes to {@code pond}: a picocli {@code @Command} class listed in
 * {@code META-INF/services/io.pond.platform.cli.PondCommand}. Found with {@link java.util.ServiceLoader}
 * because the platform may not depend on the modules (that would be a cycle between modules).
 */
public interface PondCommand {

  /** The command group it belongs under, e.g. {@code bench}; empty for a top-level command. */
  default String group() {
    return "";
  }
}
