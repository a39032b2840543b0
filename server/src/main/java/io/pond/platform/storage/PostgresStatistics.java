package io.pond.platform.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
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
class PostgresStatistics implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PostgresStatistics.class);

  static final long PERIOD_SECONDS = 5;
  static final long MIN_CHANGED = 1000;

  private static final String STALE =
      "SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.relname) FROM pg_stat_user_tables s"
          + " JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = current_schema()"
          + " AND s.n_mod_since_analyze > GREATEST(" + MIN_CHANGED + ", c.reltuples)";

  private final DataSource dataSource;
  private volatile ScheduledExecutorService scheduler;

  PostgresStatistics(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void start() {
    if (!postgres()) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pond-pg-statistics");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::runSafely, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  private void runSafely() {
    try {
      analyzeStale();
    } catch (SQLException | RuntimeException e) {
      log.debug("statistics pass skipped", e);
    }
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

  private boolean postgres() {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdown();
      try {
        s.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scheduler = null;
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }
}
