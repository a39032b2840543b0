package io.pond.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbStoreTest {

  @TempDir Path dir;

  @Test
  void migrations_run_once_each_in_version_order() throws Exception {
    Path file = dir.resolve("events.duckdb");
    try (DuckDbStore store = new DuckDbStore(file, "classpath:duckdb-test/good/")) {
      assertThat(store.schemaVersion()).isEqualTo(10);
      assertThat(count(store, "SELECT count(*) FROM sample")).isEqualTo(2); // V2 inserted into V1's table
    }
    try (DuckDbStore reopened = new DuckDbStore(file, "classpath:duckdb-test/good/")) {
      assertThat(reopened.schemaVersion()).isEqualTo(10);
      assertThat(count(reopened, "SELECT count(*) FROM sample")).isEqualTo(2); // not applied twice
      assertThat(count(reopened, "SELECT count(*) FROM pond_schema_history")).isEqualTo(3);
    }
  }

  @Test
  void a_failing_migration_is_rolled_back_and_reported_with_its_file() throws Exception {
    Path file = dir.resolve("broken.duckdb");
    try (DuckDbStore store = new DuckDbStore(file, "classpath:duckdb-test/broken/")) {
      assertThatThrownBy(store::connection)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("V2__broken.sql failed");
    }
    try (Connection raw = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      // V1 of the broken set was committed; its failed V2 left nothing behind
      assertThat(count(raw, "SELECT max(version) FROM pond_schema_history")).isEqualTo(1);
      assertThat(count(raw, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'"))
          .isZero();
    }
  }

  private static long count(DuckDbStore store, String sql) throws SQLException {
    try (Connection c = store.connection()) {
      return count(c, sql);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
