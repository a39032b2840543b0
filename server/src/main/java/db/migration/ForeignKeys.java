package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** For Java migrations: foreign keys, whose generated names differ between databases, found by their column. */
final class ForeignKeys {

  private ForeignKeys() {}

  /** Drops the one foreign key of {@code table} on {@code column}; fails when there is not exactly one. */
  static void drop(Connection c, String table, String column) throws java.sql.SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT tc.constraint_name FROM information_schema.table_constraints tc"
                + " JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema"
                + " AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name"
                + " WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = CURRENT_SCHEMA"
                + " AND LOWER(tc.table_name) = ? AND LOWER(k.column_name) = ?")) {
      ps.setString(1, table);
      ps.setString(2, column);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    if (names.size() != 1) {
      throw new IllegalStateException("expected one foreign key on " + table + "." + column + ", found " + names);
    }
    try (Statement st = c.createStatement()) {
      st.execute("ALTER TABLE " + table + " DROP CONSTRAINT \"" + names.getFirst() + "\"");
    }
  }
}
