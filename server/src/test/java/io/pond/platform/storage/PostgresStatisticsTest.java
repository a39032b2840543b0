package io.pond.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A table loaded from empty is analyzed once it has grown past what its statistics say, so lookups
 * by a list of ids use its index; on PostgreSQL only (the suite's PostgreSQL run).
 */
class PostgresStatisticsTest {

  @Test
  void a_table_that_grew_is_analyzed_once_and_then_found_through_its_index() throws Exception {
    String url = System.getenv("POND_DB_URL");
    assumeTrue(url != null && url.startsWith("jdbc:postgresql:"), "PostgreSQL only");
    String schema = "stats_" + UUID.randomUUID().toString().substring(0, 8);
    PGSimpleDataSource admin = dataSource(url, null);
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    try {
      PGSimpleDataSource ds = dataSource(url, schema);
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE line (order_id BIGINT, line_id TEXT, sku TEXT, PRIMARY KEY (order_id, line_id))");
        s.execute("CREATE TABLE small (id BIGINT PRIMARY KEY)");
        s.execute("INSERT INTO line SELECT o, 'L' || o, 'SKU-' || (o % 7) FROM generate_series(1, 20000) o");
        s.execute("INSERT INTO small SELECT generate_series(1, 500)");
      }
      PostgresStatistics statistics = new PostgresStatistics(ds);
      awaitChanges(ds, "line", 20000); // a closed session's counts reach the statistics a moment later
      awaitChanges(ds, "small", 500);
      assertThat(statistics.analyzeStale()).as("grown past its (missing) statistics; 'small' below the minimum")
          .containsExactly(schema + ".line");
      assertThat(statistics.analyzeStale()).as("nothing changed since").isEmpty();
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT reltuples FROM pg_class WHERE oid = '" + schema + ".line'::regclass")) {
          rs.next();
          assertThat(rs.getDouble(1)).isEqualTo(20000);
        }
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN SELECT * FROM line WHERE order_id IN (" + ids(7001, 50) + ")")) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        assertThat(plan).as(plan.toString()).contains("line_pkey").doesNotContain("Seq Scan");
        s.execute("INSERT INTO line SELECT o, 'L' || o, 'x' FROM generate_series(20001, 30000) o");
      }
      awaitChanges(ds, "line", 10000);
      assertThat(statistics.analyzeStale()).as("grew by half: left to autovacuum").isEmpty();
    } finally {
      try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  /** Waits until the statistics count {@code n} rows changed in {@code table} since its last analysis. */
  private static void awaitChanges(PGSimpleDataSource ds, String table, long n) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE schemaname = current_schema()"
              + " AND relname = '" + table + "'")) {
        if (rs.next() && rs.getLong(1) >= n) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("statistics of " + table + " never counted " + n + " changes").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String ids(long from, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : ", ").append(from + i * 97L);
    }
    return out.toString();
  }

  private static PGSimpleDataSource dataSource(String url, String schema) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    ds.setUser(System.getenv().getOrDefault("POND_DB_USER", "postgres"));
    ds.setPassword(System.getenv().getOrDefault("POND_DB_PASSWORD", ""));
    if (schema != null) {
      ds.setCurrentSchema(schema);
    }
    return ds;
  }
}
