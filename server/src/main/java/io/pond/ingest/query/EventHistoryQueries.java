package io.pond.ingest.query;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventHistory;
import io.pond.ingest.log.EventLog;
import io.pond.ingest.log.EventPii;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.storage.DuckDbStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Component;

/** {@link EventHistory} over the DuckDB event log. */
@Component
class EventHistoryQueries implements EventHistory {

  private final DuckDbStore store;
  private final EventLog eventLog;
  private final EventPii pii;

  EventHistoryQueries(DuckDbStore store, EventLog eventLog, EventPii pii) {
    this.store = store;
    this.eventLog = eventLog;
    this.pii = pii;
  }

  @Override
  public List<EventEnvelope> latest(Collection<Identifier> wanted, int limit) {
    if (wanted.isEmpty() || limit <= 0) {
      return List.of();
    }
    List<Identifier> identifiers = pii.storedFormsOf(wanted);
    String sql = "SELECT " + EventLog.COLUMNS + " FROM event_log WHERE log_offset IN (SELECT log_offset FROM event_identifier"
        + " WHERE " + matches(identifiers.size()) + ") ORDER BY ts DESC, log_offset DESC LIMIT ?";
    eventLog.awaitLoaded();
    try (Connection c = store.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      int i = bind(s, identifiers);
      s.setInt(i, limit);
      List<EventEnvelope> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(eventLog.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new PondException(ErrorCode.UNAVAILABLE, "the event store cannot be read: " + e.getMessage());
    }
  }

  @Override
  public long count(Collection<Identifier> wanted) {
    if (wanted.isEmpty()) {
      return 0;
    }
    List<Identifier> identifiers = pii.storedFormsOf(wanted);
    String sql = "SELECT count(DISTINCT log_offset) FROM event_identifier WHERE " + matches(identifiers.size());
    eventLog.awaitLoaded();
    try (Connection c = store.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, identifiers);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new PondException(ErrorCode.UNAVAILABLE, "the event store cannot be read: " + e.getMessage());
    }
  }

  private static String matches(int n) {
    return String.join(" OR ", java.util.Collections.nCopies(n, "(type = ? AND scope = ? AND value = ?)"));
  }

  private static int bind(PreparedStatement s, Collection<Identifier> identifiers) throws SQLException {
    int i = 1;
    for (Identifier id : identifiers) {
      s.setString(i++, id.type());
      s.setString(i++, id.scope());
      s.setString(i++, id.value());
    }
    return i;
  }
}
