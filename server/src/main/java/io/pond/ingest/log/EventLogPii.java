package io.pond.ingest.log;

import io.pond.platform.Identifier;
import io.pond.platform.pii.PiiCipher;
import io.pond.platform.pii.PiiStore;
import io.pond.platform.pii.SealedDocuments;
import io.pond.platform.storage.DuckDbStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The event log's personal data under a key rotation ({@code pond pii rotate-key}); see {@link EventPii}. */
@Component
class EventLogPii implements PiiStore {

  private static final TypeReference<List<Identifier>> IDENTIFIERS = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final EventPii pii;
  private final JsonMapper json;
  private final DuckDbStore store;
  private final EventLog log;

  EventLogPii(EventPii pii, JsonMapper json, DuckDbStore store, EventLog log) {
    this.pii = pii;
    this.json = json;
    this.store = store;
    this.log = log;
  }

  @Override
  public String name() {
    return "event log";
  }

  @Override
  public long size() {
    log.awaitLoaded();
    try (Connection c = store.connection();
        PreparedStatement s = c.prepareStatement("SELECT (SELECT count(*) FROM event_log) + (SELECT count(*) FROM dead_letter)");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("the event log cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Goes through every event in offset order: sealed values are re-sealed, values stored in clear
   * (before sealing) are sealed, and the index rows of personal identifiers get their hash under the
   * current key; then the dead letters' raw records. A row already under the current key is left alone.
   */
  @Override
  public long rekey(PiiCipher ring, int batchSize, LongConsumer progress) {
    log.awaitLoaded();
    long[] seen = {0};
    try (Connection c = store.connection()) {
      return rekeyEvents(c, ring, batchSize, seen, progress) + rekeyDeadLetters(c, ring, batchSize, seen, progress);
    } catch (SQLException e) {
      throw new IllegalStateException("the event log cannot be re-keyed: " + e.getMessage(), e);
    }
  }

  private long rekeyEvents(Connection c, PiiCipher ring, int batchSize, long[] seen, LongConsumer progress) throws SQLException {
    long after = -1;
    long changed = 0;
    while (true) {
      List<Object[]> rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT log_offset, identifiers, previous, properties, traits, context"
          + " FROM event_log WHERE log_offset > ? ORDER BY log_offset LIMIT ?")) {
        s.setLong(1, after);
        s.setInt(2, batchSize);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)});
          }
        }
      }
      if (rows.isEmpty()) {
        return changed;
      }
      c.setAutoCommit(false);
      try {
        for (Object[] row : rows) {
          changed += rekeyRow(c, ring, row) ? 1 : 0;
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      after = (Long) rows.get(rows.size() - 1)[0];
      seen[0] += rows.size();
      progress.accept(seen[0]);
    }
  }

  /** Raw records re-sealed, or sealed when stored before sealing; erasure notes left alone. */
  private long rekeyDeadLetters(Connection c, PiiCipher ring, int batchSize, long[] seen, LongConsumer progress)
      throws SQLException {
    long after = -1;
    long changed = 0;
    while (true) {
      List<Object[]> updates = new ArrayList<>();
      int n = 0;
      try (PreparedStatement s = c.prepareStatement("SELECT id, raw FROM dead_letter WHERE id > ? ORDER BY id LIMIT ?")) {
        s.setLong(1, after);
        s.setInt(2, batchSize);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            n++;
            after = rs.getLong(1);
            String raw = rs.getString(2);
            String next = raw == null || raw.startsWith(EventLogErasure.DEAD_LETTER_NOTE) ? raw : SealedDocuments.reseal(ring, raw);
            if (next != null && !next.equals(raw)) {
              updates.add(new Object[] {after, next});
            }
          }
        }
      }
      if (n == 0) {
        return changed;
      }
      if (!updates.isEmpty()) {
        try (PreparedStatement s = c.prepareStatement("UPDATE dead_letter SET raw = ? WHERE id = ?")) {
          for (Object[] u : updates) {
            s.setString(1, (String) u[1]);
            s.setLong(2, (Long) u[0]);
            s.addBatch();
          }
          s.executeBatch();
        }
      }
      changed += updates.size();
      seen[0] += n;
      progress.accept(seen[0]);
    }
  }

  private boolean rekeyRow(Connection c, PiiCipher ring, Object[] row) throws SQLException {
    long offset = (Long) row[0];
    List<Identifier> ids = json.readValue((String) row[1], IDENTIFIERS);
    Identifier previous = row[2] == null ? null : json.readValue((String) row[2], Identifier.class);
    List<Identifier> plain = new ArrayList<>();
    List<Identifier> resealed = new ArrayList<>();
    for (Identifier id : ids) {
      Identifier p = plainOf(id, ring);
      plain.add(p);
      resealed.add(resealedOf(id, p, ring));
    }
    Identifier previousPlain = previous == null ? null : plainOf(previous, ring);
    Identifier previousResealed = previous == null ? null : resealedOf(previous, previousPlain, ring);
    String properties = resealKeys((String) row[3], ring, false);
    String traits = resealKeys((String) row[4], ring, false);
    String context = resealKeys((String) row[5], ring, true);
    boolean identifiersChanged = !resealed.equals(ids) || (previous != null && !previousResealed.equals(previous));
    if (!identifiersChanged && properties.equals(row[3]) && traits.equals(row[4]) && context.equals(row[5])) {
      return false;
    }
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE event_log SET identifiers = ?, previous = ?, properties = ?, traits = ?, context = ? WHERE log_offset = ?")) {
      s.setString(1, json.writeValueAsString(resealed));
      s.setString(2, previous == null ? null : json.writeValueAsString(previousResealed));
      s.setString(3, properties);
      s.setString(4, traits);
      s.setString(5, context);
      s.setLong(6, offset);
      s.executeUpdate();
    }
    List<Identifier> all = new ArrayList<>(plain);
    if (previousPlain != null) {
      all.add(previousPlain);
    }
    for (Identifier p : all) {
      if (!p.personalData() || p.value().startsWith(EventLogErasure.TOMBSTONE)) {
        continue;
      }
      List<String> forms = new ArrayList<>();
      forms.add(p.value()); // stored before sealing
      ring.keyedHashesUnderEveryKey(p.value()).forEach(h -> forms.add(EventPii.HASHED + h));
      try (PreparedStatement s = c.prepareStatement("UPDATE event_identifier SET value = ? WHERE log_offset = ? AND type = ?"
          + " AND scope = ? AND value IN (" + String.join(", ", java.util.Collections.nCopies(forms.size(), "?")) + ")")) {
        s.setString(1, EventPii.HASHED + ring.keyedHash(p.value()));
        s.setLong(2, offset);
        s.setString(3, p.type());
        s.setString(4, p.scope());
        for (int i = 0; i < forms.size(); i++) {
          s.setString(5 + i, forms.get(i));
        }
        s.executeUpdate();
      }
    }
    return true;
  }

  private static Identifier plainOf(Identifier id, PiiCipher ring) {
    return id.personalData() && EventPii.isSealed(id.value()) ? new Identifier(id.type(), id.scope(), ring.decrypt(id.value())) : id;
  }

  private static Identifier resealedOf(Identifier stored, Identifier plain, PiiCipher ring) {
    if (!stored.personalData() || stored.value().startsWith(EventLogErasure.TOMBSTONE)) {
      return stored;
    }
    return EventPii.isSealed(stored.value()) ? new Identifier(stored.type(), stored.scope(), ring.reseal(stored.value())) : EventPii.sealed(plain, ring);
  }

  private String resealKeys(String column, PiiCipher ring, boolean context) {
    LinkedHashMap<String, Object> m = json.readValue(column, MAP);
    Map<String, Object> out = context ? pii.sealContext(m, ring, true) : pii.sealKeys(m, ring, true);
    return out.equals(m) ? column : json.writeValueAsString(out);
  }
}
