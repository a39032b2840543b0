package io.pond.ingest.log;

import io.pond.ingest.EventErasure;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.storage.DuckDbStore;
import io.pond.platform.storage.InLists;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link EventErasure} over the DuckDB projection of the log, then the log file: the scrubbed rows are
 * rewritten in one DuckDB transaction, the segment file that still holds their raw frames is rolled and
 * deleted once loaded, and DuckDB is checkpointed so that its data file holds the rewritten rows.
 */
@Component
class EventLogErasure implements EventErasure {

  private static final TypeReference<List<Identifier>> IDENTIFIERS = new TypeReference<>() {};
  /** What an erased personal identifier's value becomes: this prefix and the pseudonym. */
  static final String TOMBSTONE = "erased:";
  /** How the note that replaces an erased dead letter's raw record starts. */
  static final String DEAD_LETTER_NOTE = "{\"erased\":";
  private static final int CHUNK = 500;

  private final DuckDbStore store;
  private final EventLog log;
  private final JsonMapper json;
  private final EventPii pii;

  EventLogErasure(DuckDbStore store, EventLog log, JsonMapper json, EventPii pii) {
    this.store = store;
    this.log = log;
    this.json = json;
    this.pii = pii;
  }

  @Override
  public Result erase(Collection<Identifier> identifiers, Collection<Identifier> personal, String pseudonym) {
    Set<String> personalTypes = new TreeSet<>();
    personal.forEach(p -> personalTypes.add(p.type()));
    String tombstone = TOMBSTONE + pseudonym;
    log.awaitLoaded();
    long events = 0;
    long deadLetters = 0;
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        List<Long> offsets = offsets(c, pii.storedFormsOf(identifiers));
        for (int from = 0; from < offsets.size(); from += CHUNK) {
          events += scrub(c, offsets.subList(from, Math.min(offsets.size(), from + CHUNK)), personalTypes, tombstone);
        }
        deadLetters = scrubDeadLetters(c, personal, json.writeValueAsString(java.util.Map.of("erased", pseudonym)));
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PondException(ErrorCode.UNAVAILABLE, "the event store cannot be changed: " + e.getMessage());
    }
    if (events > 0 || deadLetters > 0) {
      log.rollAndAwaitLoaded(); // the raw frames leave the disk with the segment file
      try (Connection c = store.connection(); Statement s = c.createStatement()) {
        s.execute("CHECKPOINT");
      } catch (SQLException e) {
        throw new PondException(ErrorCode.UNAVAILABLE, "the event store cannot be checkpointed: " + e.getMessage());
      }
    }
    return new Result(events, deadLetters);
  }

  /**
   * Replaces by {@code note} every dead letter whose raw record holds one of the personal values.
   * PERF: the raw records are sealed, so each is opened here (dead letters are few, erasures rare).
   */
  private long scrubDeadLetters(Connection c, Collection<Identifier> personal, String note) throws SQLException {
    if (personal.isEmpty()) {
      return 0;
    }
    List<Long> hits = new ArrayList<>();
    long after = -1;
    while (true) {
      int n = 0;
      try (PreparedStatement s = c.prepareStatement("SELECT id, raw FROM dead_letter WHERE id > ? ORDER BY id LIMIT 1000")) {
        s.setLong(1, after);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            n++;
            after = rs.getLong(1);
            String raw = pii.openDocument(rs.getString(2));
            if (raw != null && personal.stream().anyMatch(p -> raw.contains(p.value()))) {
              hits.add(after);
            }
          }
        }
      }
      if (n < 1000) {
        break;
      }
    }
    for (int from = 0; from < hits.size(); from += CHUNK) {
      List<Long> chunk = hits.subList(from, Math.min(hits.size(), from + CHUNK));
      try (PreparedStatement s = c.prepareStatement("UPDATE dead_letter SET raw = ? WHERE id IN (" + InLists.placeholders(chunk.size()) + ")")) {
        s.setString(1, note);
        bind(s, 2, chunk);
        s.executeUpdate();
      }
    }
    return hits.size();
  }

  private static List<Long> offsets(Connection c, Collection<Identifier> identifiers) throws SQLException {
    if (identifiers.isEmpty()) {
      return List.of();
    }
    List<Identifier> ids = new ArrayList<>(new LinkedHashSet<>(identifiers));
    Set<Long> offsets = new TreeSet<>();
    for (int from = 0; from < ids.size(); from += 100) {
      List<Identifier> part = ids.subList(from, Math.min(ids.size(), from + 100));
      String sql = "SELECT DISTINCT log_offset FROM event_identifier WHERE "
          + String.join(" OR ", Collections.nCopies(part.size(), "(type = ? AND scope = ? AND value = ?)"));
      try (PreparedStatement s = c.prepareStatement(sql)) {
        int i = 1;
        for (Identifier id : part) {
          s.setString(i++, id.type());
          s.setString(i++, id.scope());
          s.setString(i++, id.value());
        }
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            offsets.add(rs.getLong(1));
          }
        }
      }
    }
    return new ArrayList<>(offsets);
  }

  private long scrub(Connection c, List<Long> offsets, Set<String> personalTypes, String tombstone) throws SQLException {
    String in = InLists.placeholders(offsets.size());
    List<Object[]> rewritten = new ArrayList<>(offsets.size());
    try (PreparedStatement s = c.prepareStatement(
        "SELECT log_offset, identifiers, previous FROM event_log WHERE log_offset IN (" + in + ")")) {
      bind(s, 1, offsets);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          List<Identifier> ids = json.readValue(rs.getString(2), IDENTIFIERS).stream()
              .map(id -> scrubbed(id, personalTypes, tombstone)).toList();
          String previous = rs.getString(3);
          String newPrevious = previous == null ? null
              : json.writeValueAsString(scrubbed(json.readValue(previous, Identifier.class), personalTypes, tombstone));
          rewritten.add(new Object[] {rs.getLong(1), json.writeValueAsString(ids), newPrevious});
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement("UPDATE event_log SET identifiers = ?, previous = ?, properties = '{}',"
        + " traits = '{}', context = '{}' WHERE log_offset = ?")) {
      for (Object[] row : rewritten) {
        s.setString(1, (String) row[1]);
        s.setString(2, (String) row[2]);
        s.setLong(3, (Long) row[0]);
        s.addBatch();
      }
      s.executeBatch();
    }
    if (!personalTypes.isEmpty()) {
      String types = InLists.placeholders(personalTypes.size());
      try (PreparedStatement s = c.prepareStatement("UPDATE event_identifier SET value = ? WHERE log_offset IN (" + in
          + ") AND type IN (" + types + ")")) {
        s.setString(1, tombstone);
        int i = bind(s, 2, offsets);
        for (String t : personalTypes) {
          s.setString(i++, t);
        }
        s.executeUpdate();
      }
    }
    return rewritten.size();
  }

  private static Identifier scrubbed(Identifier id, Set<String> personalTypes, String tombstone) {
    return personalTypes.contains(id.type()) ? new Identifier(id.type(), id.scope(), tombstone) : id;
  }

  private static int bind(PreparedStatement s, int first, List<Long> offsets) throws SQLException {
    int i = first;
    for (Long o : offsets) {
      s.setLong(i++, o);
    }
    return i;
  }
}
