package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * {@code loyalty_lot.spendable}: whether a lot's points may be spent now (not pending, something left),
 * computed by the database from {@code pending} and {@code remaining}. Queries of spendable lots name
 * it instead of {@code remaining}.
 *
 * <p>PostgreSQL: no index names {@code remaining} any more (the available-lots index is partial on
 * {@code spendable}, the account index is on {@code account_id} alone) and a fifth of each page is left
 * free, so a redemption that leaves something in a lot (most of them) updates it in place (a HOT
 * update) instead of adding an entry to each of the table's four indexes; only the redemption that
 * empties a lot changes {@code spendable}. Pages written before keep their old packing until they are
 * rewritten. H2 (no partial indexes): the account index becomes {@code (account_id, spendable)}.
 */
public class V136__loyalty_lot_spendable extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    boolean postgres = "PostgreSQL".equals(context.getConnection().getMetaData().getDatabaseProductName());
    try (Statement st = context.getConnection().createStatement()) {
      if (postgres) {
        st.execute("ALTER TABLE loyalty_lot ADD COLUMN spendable BOOLEAN GENERATED ALWAYS AS (NOT pending AND remaining > 0) STORED");
        st.execute("DROP INDEX loyalty_lot_available");
        st.execute("CREATE INDEX loyalty_lot_available ON loyalty_lot (account_id, expires_at, id) WHERE spendable");
        st.execute("DROP INDEX loyalty_lot_account");
        st.execute("CREATE INDEX loyalty_lot_account ON loyalty_lot (account_id)");
        st.execute("ALTER TABLE loyalty_lot SET (fillfactor = 80)");
      } else {
        st.execute("ALTER TABLE loyalty_lot ADD COLUMN spendable BOOLEAN GENERATED ALWAYS AS (NOT pending AND remaining > 0)");
        st.execute("DROP INDEX loyalty_lot_account");
        st.execute("CREATE INDEX loyalty_lot_account ON loyalty_lot (account_id, spendable)");
      }
    }
  }
}
