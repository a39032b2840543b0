package db.migration;

import java.sql.PreparedStatement;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Names the identity store's evidence log when the store is made, instead of at the graph's first use
 * ({@code GraphStore.evidenceLogName}, which keeps doing it for a store whose name was cleared). At first
 * use, several resolutions can start at once inside their callers' transactions: one names the log in
 * a transaction that has not committed yet, and the others read no name. A Java migration for the
 * random part of the name ({@code evidence-<uuid>}, as {@code GraphStore} makes it).
 */
public class V140__identity_evidence_log_named extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    try (PreparedStatement s = context.getConnection()
        .prepareStatement("UPDATE identity_state SET evidence_log = ? WHERE id = 1 AND evidence_log IS NULL")) {
      s.setString(1, "evidence-" + UUID.randomUUID());
      s.executeUpdate();
    }
  }
}
