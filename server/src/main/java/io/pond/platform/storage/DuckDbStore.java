package io.pond.platform.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The embedded DuckDB database that holds the event log and analytics tables (a file under the data
 * dir). DuckDB allows one writing process per file, so it is opened on first use: CLI commands that
 * never touch events can run next to a live server.
 *
 * <p>Schema changes are versioned scripts {@code V<n>__<description>.sql} on the classpath (Flyway
 * has no DuckDB support in the version Spring Boot manages), applied once each, in order, and
 * recorded in {@code pond_schema_history}.
 */
public final class DuckDbStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DuckDbStore.class);
  private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__(.+)\\.sql");

  private final Path file;
  private final String migrationsLocation;
  private DuckDBConnection root;

  /**
   * @param file the database file
   * @param migrationsLocation a classpath folder such as {@code classpath*:duckdb/}
   */
  public DuckDbStore(Path file, String migrationsLocation) {
    this.file = file;
    this.migrationsLocation = migrationsLocation.endsWith("/") ? migrationsLocation : migrationsLocation + "/";
  }

  public Path file() {
    return file;
  }

  /** A new connection to the store, to be closed by the caller; opens and migrates the store first. */
  public Connection connection() throws SQLException {
    return open().duplicate();
  }

  /** The schema version after migration. */
  public int schemaVersion() throws SQLException {
    try (Connection c = connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM pond_schema_history")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private synchronized DuckDBConnection open() throws SQLException {
    if (root == null) {
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      DuckDBConnection connection;
      try {
        connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file);
      } catch (SQLException e) {
        if (e.getMessage() != null && e.getMessage().contains("Could not set lock on file")) {
          throw new HeldByAnotherProcess(file, e);
        }
        throw e;
      }
      try {
        migrate(connection);
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      root = connection;
    }
    return root;
  }

  /**
   * The store's file is open in another process (DuckDB admits one): a running server on the same data
   * directory. The message says so, and what to do, without DuckDB's internals.
   */
  public static final class HeldByAnotherProcess extends IllegalStateException {
    HeldByAnotherProcess(Path file, SQLException cause) {
      super(file + " is open in another Pond process (" + holder(cause.getMessage()) + "): a server running on the same data"
          + " directory. Stop it first, or do this through the running server (an order export: POST /api/v1/orders/import"
          + " or the console's order import).", cause);
    }

    private static String holder(String message) {
      java.util.regex.Matcher m = Pattern.compile("\\(PID (\\d+)\\)").matcher(message);
      return m.find() ? "PID " + m.group(1) : "another process";
    }
  }

  private void migrate(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS pond_schema_history ("
              + "version INTEGER PRIMARY KEY, description VARCHAR NOT NULL, installed_at TIMESTAMPTZ NOT NULL)");
    }
    int current;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM pond_schema_history")) {
      rs.next();
      current = rs.getInt(1);
    }
    Resource[] scripts;
    try {
      scripts = new PathMatchingResourcePatternResolver().getResources(migrationsLocation + "V*__*.sql");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Arrays.sort(scripts, Comparator.comparingInt(DuckDbStore::versionOf));
    for (Resource script : scripts) {
      int version = versionOf(script);
      if (version <= current) {
        continue;
      }
      String sql;
      try {
        sql = script.getContentAsString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement();
          PreparedStatement record =
              connection.prepareStatement(
                  "INSERT INTO pond_schema_history VALUES (?, ?, current_timestamp)")) {
        s.execute(sql);
        record.setInt(1, version);
        record.setString(2, descriptionOf(script));
        record.executeUpdate();
        connection.commit();
        log.info("Event store migrated to version {} ({})", version, descriptionOf(script));
      } catch (SQLException e) {
        connection.rollback();
        throw new SQLException("Event store migration " + script.getFilename() + " failed: " + e.getMessage(), e);
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  private static int versionOf(Resource script) {
    return Integer.parseInt(matcher(script).group(1));
  }

  private static String descriptionOf(Resource script) {
    return matcher(script).group(2).replace('_', ' ');
  }

  private static Matcher matcher(Resource script) {
    Matcher m = SCRIPT.matcher(String.valueOf(script.getFilename()));
    if (!m.matches()) {
      throw new IllegalStateException("Badly named event store migration: " + script.getFilename());
    }
    return m;
  }

  @Override
  public synchronized void close() throws SQLException {
    if (root != null) {
      root.close();
      root = null;
    }
  }
}
