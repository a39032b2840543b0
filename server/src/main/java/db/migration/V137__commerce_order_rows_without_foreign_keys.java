package db.migration;

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
    for (String table : TABLES) {
      ForeignKeys.drop(context.getConnection(), table, "order_id");
    }
  }
}
