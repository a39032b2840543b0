package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * PostgreSQL: a partial index of each account's available lots in redemption order (earliest expiry
 * first). A combined batch reads the first few available lots of each of its accounts through it,
 * however many lots the account has spent or holds. Lots leave the index when they are spent. The
 * embedded store (H2) has no partial indexes; its ledger reads an account's lots through
 * {@code loyalty_lot_account}.
 */
public class V133__loyalty_lot_available_index extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    if (!"PostgreSQL".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
      return;
    }
    try (Statement st = context.getConnection().createStatement()) {
      st.execute(
          "CREATE INDEX loyalty_lot_available ON loyalty_lot (account_id, expires_at, id) WHERE pending = FALSE AND remaining > 0");
    }
  }
}
