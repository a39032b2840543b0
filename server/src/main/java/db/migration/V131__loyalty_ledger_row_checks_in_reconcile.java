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
 * Drops the foreign keys of the ledger's per-posting rows (entries, lots, allocations, change records).
 * Each cost a lookup of the parent row per inserted row (on PostgreSQL about 20 µs, a third of a
 * posting's database time); only the ledger writes these rows, always for an account it holds locked,
 * and {@code ./pond loyalty reconcile} checks that every lot and allocation points at an entry of its
 * account. A Java migration because the constraints have generated names that differ between databases.
 */
public class V131__loyalty_ledger_row_checks_in_reconcile extends BaseJavaMigration {

  private static final String[][] KEYS = {
    {"loyalty_entry", "account_id"},
    {"loyalty_lot", "account_id"},
    {"loyalty_lot", "entry_id"},
    {"loyalty_allocation", "entry_id"},
    {"loyalty_allocation", "lot_id"},
    {"loyalty_account_change", "account_id"},
  };

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    for (String[] key : KEYS) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT DISTINCT tc.constraint_name FROM information_schema.table_constraints tc"
                  + " JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema"
                  + " AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name"
                  + " WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = CURRENT_SCHEMA"
                  + " AND LOWER(tc.table_name) = ? AND LOWER(k.column_name) = ?")) {
        ps.setString(1, key[0]);
        ps.setString(2, key[1]);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
      }
      if (names.size() != 1) {
        throw new IllegalStateException("expected one foreign key on " + key[0] + "." + key[1] + ", found " + names);
      }
      try (Statement st = c.createStatement()) {
        st.execute("ALTER TABLE " + key[0] + " DROP CONSTRAINT \"" + names.getFirst() + "\"");
      }
    }
  }
}
