package io.pond.profile.consent;

import io.pond.profile.consent.domain.ConsentDecision;
import io.pond.profile.consent.domain.Purpose;
import io.pond.profile.person.PersonLocks;
import io.pond.profile.person.ProfileEvents;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Consents per purpose with their whole history (append-only). The current consent is the decision
 * that occurred last ({@link ConsentDecision#current}); a purpose never decided counts as not granted.
 */
@Component
public class Consents {

  private final JdbcClient jdbc;
  private final PersonLocks locks;
  private final ProfileEvents events;
  private final Clock clock;

  Consents(JdbcClient jdbc, PersonLocks locks, ProfileEvents events, Clock clock) {
    this.jdbc = jdbc;
    this.locks = locks;
    this.events = events;
    this.clock = clock;
  }

  /** A new decision to record. */
  public record Decision(Purpose purpose, boolean granted, String source, String note, Instant occurredAt) {}

  /** Records a decision; publishes the purpose's new state if it changed. Answers the current consents. */
  @Transactional
  public Map<Purpose, ConsentDecision> record(int person, Decision d, String actor) {
    locks.lock(person);
    Map<Purpose, ConsentDecision> before = current(person);
    jdbc.sql("INSERT INTO profile_consent_event (person_id, origin_person_id, purpose, granted, source, actor, note,"
            + " occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(person, person, d.purpose().wire(), d.granted(), d.source(), actor, d.note(),
            Timestamp.from(d.occurredAt()), Timestamp.from(clock.instant()))
        .update();
    events.changed(person, null, null, refresh(person, before));
    return current(person);
  }

  /** The decision in force per purpose. */
  public Map<Purpose, ConsentDecision> current(int person) {
    return ConsentDecision.current(history(person));
  }

  /** Every decision, oldest first (by when it occurred). */
  public List<ConsentDecision> history(int person) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM profile_consent_event WHERE person_id = ? ORDER BY occurred_at, id")
        .param(person)
        .query(Consents::decision)
        .list();
  }

  /** The newest {@code limit} decisions, newest first (for the timeline). */
  public List<ConsentDecision> latest(int person, int limit) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM profile_consent_event WHERE person_id = ?"
            + " ORDER BY occurred_at DESC, id DESC LIMIT ?")
        .params(person, limit)
        .query(Consents::decision)
        .list();
  }

  private static final String COLUMNS = "id, purpose, granted, source, actor, note, occurred_at";

  private static ConsentDecision decision(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new ConsentDecision(rs.getLong(1), Purpose.fromWire(rs.getString(2)).orElseThrow(), rs.getBoolean(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant());
  }

  /**
   * Rewrites the person's current-consent rows from the history (after a record, a merge or a split)
   * and answers the purposes whose state changed ({@code null}: no decision any more).
   */
  @Transactional
  public Map<String, Boolean> refresh(int person, Map<Purpose, ConsentDecision> before) {
    Map<Purpose, ConsentDecision> after = current(person);
    jdbc.sql("DELETE FROM profile_consent WHERE person_id = ?").param(person).update();
    for (ConsentDecision d : after.values()) {
      jdbc.sql("INSERT INTO profile_consent (person_id, purpose, granted, source, occurred_at) VALUES (?, ?, ?, ?, ?)")
          .params(person, d.purpose().wire(), d.granted(), d.source(), Timestamp.from(d.occurredAt()))
          .update();
    }
    Map<String, Boolean> changed = new LinkedHashMap<>();
    for (Purpose p : Purpose.values()) {
      Boolean b = before.containsKey(p) ? before.get(p).granted() : null;
      Boolean a = after.containsKey(p) ? after.get(p).granted() : null;
      if (!java.util.Objects.equals(a, b)) {
        changed.put(p.wire(), a);
      }
    }
    return changed;
  }

  /** The current state per purpose, every purpose listed ({@code false} when never decided). */
  public static Map<Purpose, Boolean> granted(Map<Purpose, ConsentDecision> current) {
    Map<Purpose, Boolean> out = new EnumMap<>(Purpose.class);
    for (Purpose p : Purpose.values()) {
      out.put(p, current.containsKey(p) && current.get(p).granted());
    }
    return out;
  }
}
