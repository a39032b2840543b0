package io.pond.platform.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.springframework.stereotype.Component;

/**
 * After each migration on the embedded H2 store, gives every identity column a sequence cache of
 * {@value #CACHE} values.
 *
 * <p>PERF: H2 preallocates 32 identity values at a time and records each new allocation with a commit
 * of its own, and with {@code WRITE_DELAY=0} a commit stores every changed page of the file — the
 * inserting transaction's too. A bulk load of 1,000 orders stored the whole file about 60 times
 * (orders, loyalty's order facts): half of the import's time and most of the file's growth. A crash
 * loses at most the unused rest of the cache (a gap in the ids, as PostgreSQL has). PostgreSQL keeps its
 * default: its sequence cache is per session, so a larger one would scatter the ids of concurrent
 * sessions.
 */
@Component
class H2IdentityCache implements Callback {

  static final int CACHE = 1024;

  @Override
  public boolean supports(Event event, Context context) {
    return event == Event.AFTER_MIGRATE;
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true;
  }

  @Override
  public void handle(Event event, Context context) {
    try {
      Connection c = context.getConnection();
      if (!c.getMetaData().getDatabaseProductName().startsWith("H2")) {
        return;
      }
      List<String[]> columns = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
                      + " AND IS_IDENTITY = 'YES' AND IDENTITY_CACHE < " + CACHE)) {
        while (rs.next()) {
          columns.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      try (Statement s = c.createStatement()) {
        for (String[] column : columns) {
          s.execute("ALTER TABLE " + quote(column[0]) + " ALTER COLUMN " + quote(column[1]) + " SET CACHE " + CACHE);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not set the identity caches of the H2 store", e);
    }
  }

  private static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  @Override
  public String getCallbackName() {
    return "h2-identity-cache";
  }
}
