package io.pond.platform.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps PostgreSQL's planner statistics current while Pond's tables grow fast — a bulk import into a
 * new store, a demo load — which autovacuum does not: it looks once a minute at most, analyzes a table
 * after a tenth of it changed, and does nothing where it is switched off.
 *
 * <p>PERF: a table never analyzed makes the planner guess that a key matches half a percent of the
 * rows, so every lookup by a list of ids (the import's and the listeners' {@code WHERE order_id IN
 * (…)}) becomes a sequential scan of the whole table, and a load slows down as it grows. Measured with
 * {@code ./pond bench import --orders 100000} on PostgreSQL 15 with autovacuum off (see
 * docs/benchmarks.md, "Order import"). Every {@link #PERIOD_SECONDS} s this analyzes the tables of
 * Pond's schema changed by more rows since their last analysis than they then had (at least
 * {@link #MIN_CHANGED}): a table loaded from empty is analyzed each time it doubles; one that changes
 * slowly is left to autovacuum. ANALYZE reads a sample of 30,000 rows, whatever the table's size.
 */
@Component
class PostgresStatistics extends StoreUpkeep {

  private static final Logger log = LoggerFactory.getLogger(PostgresStatistics.class);

  static final long PERIOD_SECONDS = 5;
  static final long MIN_CHANGED = 1000;

  private static final String STALE =
      "SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.relname) FROM pg_stat_user_tables s"
          + " JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = current_schema()"
          + " AND s.n_mod_since_analyze > GREATEST(" + MIN_CHANGED + ", c.reltuples)";

  private final DataSource dataSource;

  PostgresStatistics(DataSource dataSource) {
    super("pond-pg-statistics", PERIOD_SECONDS * 1000);
    this.dataSource = dataSource;
  }

  @Override
  boolean applies() {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  void pass() throws SQLException {
    analyzeStale();
  }

  /** Analyzes the tables whose statistics are stale; returns them. */
  List<String> analyzeStale() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(STALE)) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String table : tables) {
        s.execute("ANALYZE " + table);
      }
    }
    if (!tables.isEmpty()) {
      log.debug("analyzed {}", tables);
    }
    return tables;
  }
}
