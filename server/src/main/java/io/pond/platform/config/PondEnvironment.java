package io.pond.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Validates the {@code POND_*} settings before anything else starts, and derives the Spring
 * properties that follow from them (port, datasource, log file), so that no other place reads the
 * variables itself.
 */
public final class PondEnvironment implements EnvironmentPostProcessor {

  static final String SOURCE_NAME = "pondSettings";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    PondSettings settings = PondSettings.from(environment::getProperty);
    try {
      Files.createDirectories(settings.dataDir());
    } catch (IOException e) {
      throw new InvalidSettingException(
          PondSettings.DATA_DIR, "cannot create " + settings.dataDir() + " (" + e.getMessage() + ")");
    }
    Map<String, Object> derived = new LinkedHashMap<>();
    derived.put("server.port", settings.port());
    derived.put("spring.datasource.url", settings.database().url());
    derived.put("spring.datasource.username", settings.database().user());
    derived.put("spring.datasource.password", settings.database().password());
    derived.put("logging.file.name", settings.logFile().toString());
    if (settings.logFormat() == PondSettings.LogFormat.JSON) {
      derived.put("logging.structured.format.console", "ecs");
    }
    // Settings beat application.yaml but not explicit Spring properties given on the command line.
    environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, derived));
  }
}
