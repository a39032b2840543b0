package io.pond.platform.cli;

import io.pond.PondApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = "Run the Pond server (embedded H2 + DuckDB unless POND_DB_URL is set).")
final class StartCommand implements Callable<Integer> {

  private static volatile boolean started;

  @Option(names = "--port", description = "HTTP port (overrides POND_PORT, default 8080)")
  Integer port;

  @Option(names = "--data-dir", description = "Data directory (overrides POND_DATA_DIR, default ./data)")
  String dataDir;

  @Unmatched List<String> springArguments = new ArrayList<>();

  static boolean started() {
    return started;
  }

  @Override
  public Integer call() {
    List<String> arguments = new ArrayList<>(springArguments);
    if (port != null) {
      arguments.add("--POND_PORT=" + port);
    }
    if (dataDir != null) {
      arguments.add("--POND_DATA_DIR=" + dataDir);
    }
    SpringApplication application = new SpringApplication(PondApplication.class);
    try {
      application.run(arguments.toArray(String[]::new));
    } catch (RuntimeException e) {
      // Spring Boot has already reported the failure (with a failure analysis where it has one).
      return 1;
    }
    started = true;
    return 0;
  }
}
