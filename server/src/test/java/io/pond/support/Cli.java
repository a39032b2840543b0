package io.pond.support;

import io.pond.platform.cli.PondCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@code pond} commands in-process, as an operator would type them, and — as a JUnit extension —
 * gives all commands of one test one fresh PostgreSQL schema when the suite runs on PostgreSQL (each
 * command starts its own application context, which would otherwise get a schema of its own).
 */
public final class Cli implements BeforeEachCallback, AfterEachCallback {

  public record Run(int code, String out, String err) {}

  public static Run pond(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PondCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    String url = System.getenv("POND_DB_URL");
    if (url != null) {
      System.setProperty("POND_DB_URL",
          IsolatedStores.newSchema(url, "postgres", "", "c_" + UUID.randomUUID().toString().substring(0, 8)));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.clearProperty("POND_DB_URL");
  }
}
