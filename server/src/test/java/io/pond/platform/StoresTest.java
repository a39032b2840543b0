package io.pond.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.platform.config.PondSettings;
import io.pond.platform.storage.DuckDbStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Start-up creates and migrates both stores: the OLTP store (H2 or PostgreSQL) and DuckDB. */
@SpringBootTest
class StoresTest {

  @Autowired JdbcClient jdbc;
  @Autowired DuckDbStore events;
  @Autowired PondSettings settings;
  @Autowired Clock clock;

  @Test
  void flyway_applied_the_platform_migration() {
    List<String> applied =
        jdbc.sql("SELECT version FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL ORDER BY installed_rank")
            .query(String.class)
            .list();
    assertThat(applied).startsWith("1");
    assertThat(jdbc.sql("SELECT count(*) FROM api_key").query(Long.class).single()).isZero();
  }

  @Test
  void the_event_publication_registry_table_exists() {
    assertThat(jdbc.sql("SELECT count(*) FROM event_publication").query(Long.class).single()).isZero();
  }

  @Test
  void the_oltp_store_is_the_one_the_settings_name() throws Exception {
    String url = jdbc.sql("SELECT 1").query((rs, n) -> rs.getStatement().getConnection().getMetaData().getURL()).single();
    if (System.getenv("POND_DB_URL") == null) {
      assertThat(url).startsWith("jdbc:h2:file:" + settings.dataDir());
    } else {
      assertThat(url).startsWith("jdbc:postgresql:");
    }
  }

  @Test
  void the_event_store_is_a_duckdb_file_under_the_data_dir() throws Exception {
    assertThat(events.file()).isEqualTo(settings.dataDir().resolve("events.duckdb"));
    try (Connection c = events.connection();
        ResultSet rs = c.createStatement().executeQuery("SELECT version()")) {
      rs.next();
      assertThat(rs.getString(1)).startsWith("v");
    }
    assertThat(events.file()).exists();
  }

  @Test
  void the_clock_is_in_the_brand_timezone() {
    assertThat(clock.getZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
  }
}
