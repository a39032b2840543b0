package io.pond.platform.cli;

import io.pond.PondApplication;
import io.pond.platform.storage.DuckDbStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs a CLI job inside a Pond application context without the web server, against the same stores
 * the server uses (the embedded H2 store accepts a second process while the server runs; the DuckDB
 * event log does not, see {@link #withOltpOnly}).
 */
public final class Jobs {

  private Jobs() {}

  /** A job that cannot run now, for a reason the message gives in full: printed without a stack trace. */
  public static final class JobRefused extends RuntimeException {
    JobRefused(String message) {
      super(message);
    }
  }

  public static <T> T withContext(String dataDir, Function<ConfigurableApplicationContext, T> job) {
    return withContext(dataDir, List.of(), job);
  }

  /**
   * A job that needs only the OLTP store: the event log and its consumers stay stopped, so that it
   * runs next to a server on the same data directory (DuckDB, the log's store, admits one process).
   */
  public static <T> T withOltpOnly(String dataDir, Function<ConfigurableApplicationContext, T> job) {
    return withContext(dataDir, List.of(
            "--pond.ingest.log.start-with-context=false",
            "--pond.ingest.consumers.enabled=false",
            "--logging.level.io.pond.ingest.consumer=ERROR"), // stopped on purpose: no warning
        job);
  }

  private static <T> T withContext(String dataDir, List<String> settings, Function<ConfigurableApplicationContext, T> job) {
    List<String> arguments = new ArrayList<>(settings);
    arguments.add("--logging.level.root=WARN");
    arguments.add("--logging.level.io.pond=WARN");
    // module migrations interleave by design (docs/architecture.md): not news to a CLI user
    arguments.add("--logging.level.org.flywaydb.core.internal.command.DbMigrate=ERROR");
    // a job that cannot start says why on its own (JobRefused, or the exception picocli prints)
    arguments.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
    arguments.add("--logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext=ERROR");
    if (dataDir != null) {
      arguments.add("--POND_DATA_DIR=" + dataDir);
    }
    SpringApplication application = new SpringApplication(PondApplication.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setBannerMode(Banner.Mode.OFF);
    application.setLogStartupInfo(false);
    ConfigurableApplicationContext started;
    try {
      started = application.run(arguments.toArray(String[]::new));
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof DuckDbStore.HeldByAnotherProcess held) {
          throw new JobRefused(held.getMessage());
        }
      }
      throw e;
    }
    try (ConfigurableApplicationContext context = started) {
      return job.apply(context);
    }
  }
}
