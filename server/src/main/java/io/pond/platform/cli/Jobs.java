package io.pond.platform.cli;

import io.pond.PondApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs a CLI job inside a Pond application context without the web server, against the same stores
 * the server uses (the embedded H2 store accepts a second process while the server runs).
 */
public final class Jobs {

  private Jobs() {}

  public static <T> T withContext(String dataDir, Function<ConfigurableApplicationContext, T> job) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--logging.level.root=WARN");
    arguments.add("--logging.level.io.pond=WARN");
    if (dataDir != null) {
      arguments.add("--POND_DATA_DIR=" + dataDir);
    }
    SpringApplication application = new SpringApplication(PondApplication.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setBannerMode(Banner.Mode.OFF);
    application.setLogStartupInfo(false);
    try (ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new))) {
      return job.apply(context);
    }
  }
}
