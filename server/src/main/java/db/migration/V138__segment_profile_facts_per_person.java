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
 * Moves the segment index's stored traits, metrics and consents (one {@code segment_fact} row each) and
 * paid-order counts (one {@code segment_daily} row per category and day) to one {@code segment_profile}
 * row per person, in the form {@code io.pond.segment.index.ProfileFacts} reads (kind letter, then name
 * and value as {@code length:text}, in kind and name order): a paid order and the profile recompute it
 * causes changed a dozen rows per buyer, most of a bulk load's writes. {@code version} lets concurrent
 * listeners update a person's row optimistically. A Java migration because the rows are regrouped per
 * person.
 */
public class V138__segment_profile_facts_per_person extends BaseJavaMigration {

  private static final int BATCH = 1000;
  /** Kind → a key prefix: entries sort as ProfileFacts writes them (traits, metrics, consents), then the kind letter. */
  private static final Map<String, String> PREFIXES = Map.of("trait", "0t", "metric", "1m", "consent", "2c");

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE segment_profile (person_id INT PRIMARY KEY, version INT NOT NULL, facts VARCHAR(1000000) NOT NULL)");
    }
    try (Statement read = c.createStatement();
        PreparedStatement insert = c.prepareStatement("INSERT INTO segment_profile (person_id, version, facts) VALUES (?, 0, ?)")) {
      read.setFetchSize(BATCH);
      int person = -1;
      Map<String, String> facts = new TreeMap<>(); // keyed by prefix and name
      int pending = 0;
      try (ResultSet rs = read.executeQuery("SELECT person_id, kind, name, fact_value FROM segment_fact"
          + " WHERE kind IN ('trait', 'metric', 'consent') ORDER BY person_id")) {
        while (rs.next()) {
          if (rs.getInt(1) != person) {
            pending += add(insert, person, facts);
            person = rs.getInt(1);
            facts.clear();
          }
          facts.put(PREFIXES.get(rs.getString(2)) + rs.getString(3), rs.getString(4));
          if (pending >= BATCH) {
            insert.executeBatch();
            pending = 0;
          }
        }
      }
      pending += add(insert, person, facts);
      if (pending > 0) {
        insert.executeBatch();
      }
    }
    movePurchases(c);
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM segment_fact WHERE kind IN ('trait', 'metric', 'consent')");
      s.execute("DELETE FROM segment_daily WHERE kind = 'bought'");
    }
  }

  /** Appends each person's purchase entries (kind {@code b}: they come last) to the row, or makes one. */
  private static void movePurchases(Connection c) throws Exception {
    try (Statement read = c.createStatement();
        PreparedStatement append = c.prepareStatement("UPDATE segment_profile SET facts = facts || ? WHERE person_id = ?");
        PreparedStatement insert = c.prepareStatement("INSERT INTO segment_profile (person_id, version, facts) VALUES (?, 0, ?)")) {
      read.setFetchSize(BATCH);
      int person = -1;
      Map<String, Map<Integer, Integer>> counts = new TreeMap<>();
      try (ResultSet rs = read.executeQuery(
          "SELECT person_id, counted, epoch_day, times FROM segment_daily WHERE kind = 'bought' ORDER BY person_id")) {
        while (rs.next()) {
          if (rs.getInt(1) != person) {
            appendPurchases(append, insert, person, counts);
            person = rs.getInt(1);
            counts.clear();
          }
          counts.computeIfAbsent(rs.getString(2), k -> new TreeMap<>()).merge(rs.getInt(3), rs.getInt(4), Integer::sum);
        }
      }
      appendPurchases(append, insert, person, counts);
    }
  }

  private static void appendPurchases(PreparedStatement append, PreparedStatement insert, int person,
      Map<String, Map<Integer, Integer>> counts) throws Exception {
    StringBuilder encoded = new StringBuilder();
    counts.forEach((category, days) -> {
      StringBuilder value = new StringBuilder();
      days.forEach((day, times) -> {
        if (times != 0) {
          value.append(value.isEmpty() ? "" : ",").append(day).append('=').append(times);
        }
      });
      if (!value.isEmpty()) {
        entry(encoded, 'b', category, value.toString());
      }
    });
    if (encoded.isEmpty()) {
      return;
    }
    append.setString(1, encoded.toString());
    append.setInt(2, person);
    if (append.executeUpdate() == 0) {
      insert.setInt(1, person);
      insert.setString(2, encoded.toString());
      insert.executeUpdate();
    }
  }

  private static int add(PreparedStatement insert, int person, Map<String, String> facts) throws Exception {
    if (facts.isEmpty()) {
      return 0;
    }
    StringBuilder encoded = new StringBuilder();
    facts.forEach((key, value) -> entry(encoded, key.charAt(1), key.substring(2), value));
    insert.setInt(1, person);
    insert.setString(2, encoded.toString());
    insert.addBatch();
    return 1;
  }

  /** One entry: the kind letter, then the name and the value as {@code length:text}. */
  private static void entry(StringBuilder out, char kind, String name, String value) {
    out.append(kind).append(name.length()).append(':').append(name).append(value.length()).append(':').append(value);
  }
}
