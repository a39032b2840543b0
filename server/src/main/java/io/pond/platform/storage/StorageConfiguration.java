package io.pond.platform.storage;

import io.pond.platform.config.PondSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

  @Bean(destroyMethod = "close")
  DuckDbStore duckDbStore(PondSettings settings) {
    return new DuckDbStore(settings.eventStoreFile(), "classpath*:duckdb/");
  }

  @Bean
  AbstractHealthIndicator eventStoreHealthIndicator(DuckDbStore store) {
    return new AbstractHealthIndicator() {
      @Override
      protected void doHealthCheck(Health.Builder builder) throws Exception {
        try (Connection c = store.connection();
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT 1")) {
          rs.next();
          builder.up().withDetail("database", "DuckDB").withDetail("schemaVersion", store.schemaVersion());
        }
      }
    };
  }
}
