package io.pond.platform.config;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * Validates the {@code POND_*} settings before anything else starts, and derives the Spring
 * properties that follow from them (port, datasource, log file), so that no other place reads the
 * variables itself.
 */
public final class PondEnvironment implements EnvironmentPostProcessor, Ordered {

  /** After configuration files are loaded, before logging starts. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 100;
  }

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
    // Derived properties beat application.yaml and the environment, but not Spring properties given
    // explicitly on the command line (--server.port=...) or by a test.
    MapPropertySource source = new MapPropertySource(SOURCE_NAME, derived);
    MutablePropertySources sources = environment.getPropertySources();
    if (sources.contains(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
      sources.addBefore(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, source);
    } else {
      sources.addFirst(source);
    }
  }
}
