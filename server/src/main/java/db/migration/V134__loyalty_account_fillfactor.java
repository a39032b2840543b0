package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * PostgreSQL: leaves a quarter of each page of {@code loyalty_account} free. Every posting updates its
 * account's balance and change number, none of them indexed, so with room on the page PostgreSQL
 * writes the new row version beside the old one (a HOT update) instead of adding an entry to each of
 * the table's three indexes. Pages written before this migration keep their old packing until they
 * are rewritten ({@code VACUUM FULL loyalty_account}). The embedded store (H2) has no fill factor.
 */
public class V134__loyalty_account_fillfactor extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    if (!"PostgreSQL".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
      return;
    }
    try (Statement st = context.getConnection().createStatement()) {
      st.execute("ALTER TABLE loyalty_account SET (fillfactor = 75)");
    }
  }
}
