package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Drops the foreign keys of an order's lines, buyer identifiers and refunds to their order. Each cost a
 * lookup of the order per inserted row, and on H2 an index of its own on {@code order_id} beside the
 * primary key that already starts with it: a B-tree write per row that no query needed. Only
 * {@code Orders} writes these rows, with the ids its own insert of the orders returned, and orders are
 * never deleted. A Java migration because the constraints have generated names that differ between
 * databases (as in V131).
 */
public class V137__commerce_order_rows_without_foreign_keys extends BaseJavaMigration {

  private static final String[] TABLES = {"commerce_order_line", "commerce_order_buyer", "commerce_refund"};

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    for (String table : TABLES) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT DISTINCT tc.constraint_name FROM information_schema.table_constraints tc"
                  + " JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema"
                  + " AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name"
                  + " WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = CURRENT_SCHEMA"
                  + " AND LOWER(tc.table_name) = ? AND LOWER(k.column_name) = 'order_id'")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
      }
      if (names.size() != 1) {
        throw new IllegalStateException("expected one foreign key on " + table + ".order_id, found " + names);
      }
      try (Statement st = c.createStatement()) {
        st.execute("ALTER TABLE " + table + " DROP CONSTRAINT \"" + names.getFirst() + "\"");
      }
    }
  }
}
