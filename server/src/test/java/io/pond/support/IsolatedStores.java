package io.pond.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every test application context stores of its own: a fresh data dir under
 * {@code target/test-stores} and, when the suite runs against PostgreSQL ({@code POND_DB_URL} set in
 * the environment), a fresh schema in that database. Runs before Pond's own settings are read.
 */
public final class IsolatedStores implements EnvironmentPostProcessor, Ordered {

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 20; // after config files are loaded, before PondEnvironment
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Map<String, Object> overrides = new java.util.HashMap<>();
    if (environment.getProperty("POND_DATA_DIR") == null) {
      overrides.put("POND_DATA_DIR", newDataDir(id).toString());
    }
    String url = environment.getProperty("POND_DB_URL");
    if (url != null && url.equals(System.getenv("POND_DB_URL")) && url.startsWith("jdbc:postgresql:")) {
      overrides.put("POND_DB_URL", newSchema(url, environment.getProperty("POND_DB_USER", "postgres"),
          environment.getProperty("POND_DB_PASSWORD", ""), "t_" + id));
    }
    // Spring caches test contexts; cached ones must not hold idle connections, or the suite exhausts
    // PostgreSQL's max_connections (100 by default).
    overrides.putIfAbsent("spring.datasource.hikari.minimum-idle", "0");
    overrides.putIfAbsent("spring.datasource.hikari.idle-timeout", "10000");
    overrides.putIfAbsent("spring.datasource.hikari.maximum-pool-size", "10");
    environment.getPropertySources().addFirst(new MapPropertySource("isolatedStores", overrides));
  }

  public static Path newDataDir(String id) {
    try {
      return Files.createDirectories(Path.of("target", "test-stores", id).toAbsolutePath());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Creates {@code schema} in the database at {@code url} and returns a URL that uses it. */
  public static String newSchema(String url, String user, String password, String schema) {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test schema in " + url + ": " + e.getMessage(), e);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
