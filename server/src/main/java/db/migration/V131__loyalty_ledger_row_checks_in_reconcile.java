package db.migration;

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
    for (String[] key : KEYS) {
      ForeignKeys.drop(context.getConnection(), key[0], key[1]);
    }
  }
}
