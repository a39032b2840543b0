package io.pond.ingest.query;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventsByIdentifier;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** Reads of the event log for the management API: events by identifier, dead letters, statistics. */
@Component
public class IngestQueries implements EventsByIdentifier {

  private final DuckDbStore store;
  private final EventLog eventLog;
  private final EventPii pii;

  IngestQueries(DuckDbStore store, EventLog eventLog, EventPii pii) {
    this.store = store;
    this.eventLog = eventLog;
    this.pii = pii;
  }

  public record Page<T>(List<T> items, int page, int size, long total) {

    public <R> Page<R> map(java.util.function.Function<T, R> f) {
      return new Page<>(items.stream().map(f).toList(), page, size, total);
    }
  }

  public record DeadLetterView(
      long id, long sourceId, String protocol, Instant receivedAt, String reason, String field, String detail, String raw) {

    /** As callers who may not see personal data are shown it: the raw record may hold some. */
    public DeadLetterView withoutRaw() {
      return new DeadLetterView(id, sourceId, protocol, receivedAt, reason, field, detail, null);
    }
  }

  /** Per-source counts: accepted, deduplicated, and rejected by reason. */
  public record SourceStats(long sourceId, long accepted, long deduplicated, long rejected, Map<String, Long> rejectedByReason) {}

  /** Events that carry the identifier (as actor or as the previous id of a link), newest first. */
  public Page<EventEnvelope> eventsByIdentifier(String type, String scope, String value, int page, int size) {
    EventPage p = eventsCarrying(List.of(new Identifier(type, scope, value)), page, size);
    return new Page<>(p.items(), p.page(), p.size(), p.total());
  }

  @Override
  public EventPage eventsCarrying(Collection<Identifier> wanted, int page, int size) {
    if (wanted.isEmpty()) {
      return new EventPage(List.of(), page, size, 0);
    }
    List<Identifier> identifiers = pii.storedFormsOf(wanted); // a phone or e-mail is indexed by its keyed hash
    String where = " FROM event_identifier WHERE "
        + String.join(" OR ", Collections.nCopies(identifiers.size(), "(type = ? AND scope = ? AND value = ?)"));
    return query(
        c -> {
          long total;
          try (PreparedStatement s = c.prepareStatement("SELECT count(DISTINCT log_offset)" + where)) {
            bind(s, identifiers);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              total = rs.getLong(1);
            }
          }
          List<EventEnvelope> items = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + EventLog.COLUMNS + " FROM event_log WHERE log_offset IN (SELECT log_offset" + where
                      + ") ORDER BY log_offset DESC LIMIT ? OFFSET ?")) {
            int next = bind(s, identifiers);
            s.setInt(next, size);
            s.setLong(next + 1, (long) page * size);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                items.add(eventLog.map(rs));
              }
            }
          }
          return new EventPage(items, page, size, total);
        });
  }

  public Page<DeadLetterView> deadLetters(Long sourceId, int page, int size) {
    String where = sourceId == null ? "" : " WHERE source_id = " + sourceId;
    return query(
        c -> {
          long total;
          try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM dead_letter" + where);
              ResultSet rs = s.executeQuery()) {
            rs.next();
            total = rs.getLong(1);
          }
          List<DeadLetterView> items = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id, source_id, protocol, received_at, reason, field, detail, raw FROM dead_letter" + where
                      + " ORDER BY id DESC LIMIT ? OFFSET ?")) {
            s.setInt(1, size);
            s.setLong(2, (long) page * size);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                items.add(
                    new DeadLetterView(
                        rs.getLong(1), rs.getLong(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5), rs.getString(6),
                        rs.getString(7), pii.openDocument(rs.getString(8))));
              }
            }
          }
          return new Page<>(items, page, size, total);
        });
  }

  public List<SourceStats> stats() {
    return query(
        c -> {
          Map<Long, long[]> totals = new TreeMap<>();
          Map<Long, Map<String, Long>> reasons = new TreeMap<>();
          try (PreparedStatement s = c.prepareStatement("SELECT source_id, count(*) FROM event_log GROUP BY source_id");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              totals.computeIfAbsent(rs.getLong(1), k -> new long[3])[0] += rs.getLong(2);
            }
          }
          try (PreparedStatement s = c.prepareStatement("SELECT source_id, sum(n) FROM ingest_duplicate GROUP BY source_id");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              totals.computeIfAbsent(rs.getLong(1), k -> new long[3])[1] += rs.getLong(2);
            }
          }
          try (PreparedStatement s =
                  c.prepareStatement("SELECT source_id, reason, count(*) FROM dead_letter GROUP BY source_id, reason");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              long source = rs.getLong(1);
              totals.computeIfAbsent(source, k -> new long[3])[2] += rs.getLong(3);
              reasons.computeIfAbsent(source, k -> new TreeMap<>()).merge(rs.getString(2), rs.getLong(3), Long::sum);
            }
          }
          List<SourceStats> out = new ArrayList<>();
          totals.forEach(
              (source, t) ->
                  out.add(new SourceStats(source, t[0], t[1], t[2], new LinkedHashMap<>(reasons.getOrDefault(source, Map.of())))));
          return out;
        });
  }

  /** Binds (type, scope, value) per identifier; returns the next parameter index. */
  private static int bind(PreparedStatement s, Collection<Identifier> identifiers) throws SQLException {
    int i = 1;
    for (Identifier id : identifiers) {
      s.setString(i++, id.type());
      s.setString(i++, id.scope() == null ? "" : id.scope());
      s.setString(i++, id.value());
    }
    return i;
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T query(Work<T> work) {
    eventLog.awaitLoaded(); // read your own writes: what is committed to the log file is in DuckDB
    try (Connection c = store.connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new PondException(ErrorCode.UNAVAILABLE, "the event store cannot be read: " + e.getMessage());
    }
  }
}
