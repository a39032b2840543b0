package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Moves the segment index's stored metrics from one {@code segment_fact} row per metric to one
 * {@code segment_metrics} row per person ({@code name=value;…}, names in order, the encoding of
 * {@code io.pond.segment.index.Facts}): a profile recompute changes a dozen metrics of a person at
 * once, and their rows were most of a bulk load's writes. {@code version} lets concurrent listeners
 * update a person's row optimistically. A Java migration because the rows are regrouped per person.
 */
public class V138__segment_metrics_per_person extends BaseJavaMigration {

  private static final int BATCH = 1000;

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE segment_metrics (person_id INT PRIMARY KEY, version INT NOT NULL, metrics VARCHAR(4000) NOT NULL)");
    }
    try (Statement read = c.createStatement();
        PreparedStatement insert = c.prepareStatement("INSERT INTO segment_metrics (person_id, version, metrics) VALUES (?, 0, ?)")) {
      read.setFetchSize(BATCH);
      int person = -1;
      Map<String, String> metrics = new TreeMap<>();
      int pending = 0;
      try (ResultSet rs = read.executeQuery(
          "SELECT person_id, name, fact_value FROM segment_fact WHERE kind = 'metric' ORDER BY person_id")) {
        while (rs.next()) {
          if (rs.getInt(1) != person) {
            pending += add(insert, person, metrics);
            person = rs.getInt(1);
            metrics.clear();
          }
          metrics.put(rs.getString(2), rs.getString(3));
          if (pending >= BATCH) {
            insert.executeBatch();
            pending = 0;
          }
        }
      }
      pending += add(insert, person, metrics);
      if (pending > 0) {
        insert.executeBatch();
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM segment_fact WHERE kind = 'metric'");
    }
  }

  private static int add(PreparedStatement insert, int person, Map<String, String> metrics) throws Exception {
    if (metrics.isEmpty()) {
      return 0;
    }
    StringBuilder encoded = new StringBuilder();
    metrics.forEach((name, value) -> encoded.append(encoded.isEmpty() ? "" : ";").append(name).append('=').append(value));
    insert.setInt(1, person);
    insert.setString(2, encoded.toString());
    insert.addBatch();
    return 1;
  }
}
