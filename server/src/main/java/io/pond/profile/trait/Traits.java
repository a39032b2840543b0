package io.pond.profile.trait;

import io.pond.platform.errors.PondException;
import io.pond.platform.pii.PersonalTraits;
import io.pond.platform.pii.PiiCipher;
import io.pond.profile.config.ProfileProperties;
import io.pond.profile.person.PersonLocks;
import io.pond.profile.person.ProfileEvents;
import io.pond.profile.trait.domain.TraitMasking;
import io.pond.profile.trait.domain.TraitPrecedence;
import io.pond.profile.trait.domain.TraitState;
import io.pond.profile.trait.domain.TraitWrite;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's traits: writes go through {@link TraitPrecedence}; accepted ones are appended to the
 * history and become the current value; personal traits are stored encrypted. Every change publishes
 * {@code ProfileChanged} in its transaction.
 */
@Component
public class Traits {

  /** Trait names: a letter, {@code _} or {@code $}, then letters, digits, {@code _ $ .}; at most 100. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.]{0,99}");

  private final JdbcClient jdbc;
  private final PiiCipher cipher;
  private final PersonLocks locks;
  private final ProfileEvents events;
  private final Clock clock;
  private final TraitPrecedence precedence;
  private final PersonalTraits pii;

  Traits(JdbcClient jdbc, PiiCipher cipher, PersonLocks locks, ProfileEvents events, Clock clock, ProfileProperties settings) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.locks = locks;
    this.events = events;
    this.clock = clock;
    this.precedence = settings.precedence();
    this.pii = settings.personalTraits();
  }

  public TraitPrecedence precedence() {
    return precedence;
  }

  public boolean isPii(String name) {
    return pii.matches(name);
  }

  /** A trait as shown: the value masked when personal and the caller may not see personal data. */
  public record TraitView(String name, String value, boolean pii, String source, Instant observedAt) {}

  /** A recorded change, for the timeline and the export. */
  public record ChangeView(long id, String name, String value, boolean removed, boolean pii, String source, String actor,
      Instant observedAt, Instant recordedAt) {}

  /** What became of one write. */
  public record Outcome(String name, boolean applied, String reason) {}

  /** Checks a write's name and value (the API and the event consumer call this before {@link #write}). */
  public static void validate(String field, String name, String value) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw PondException.invalid(field, "'" + name + "' is not a trait name (a letter, '_' or '$', then letters, digits,"
          + " '_', '$' or '.'; at most 100)");
    }
    if (value != null && value.length() > TraitWrite.MAX_VALUE_LENGTH) {
      throw PondException.invalid(field, "a trait value has at most " + TraitWrite.MAX_VALUE_LENGTH + " characters");
    }
  }

  /** Applies writes in order, each under the precedence rule; publishes what changed. */
  @Transactional
  public List<Outcome> write(int person, List<TraitWrite> writes, String actor) {
    locks.lock(person);
    Map<String, TraitState> current = current(person);
    Map<String, String> changed = new LinkedHashMap<>();
    List<Outcome> out = new ArrayList<>(writes.size());
    Instant now = clock.instant();
    for (TraitWrite w : writes) {
      TraitState before = current.get(w.name());
      switch (precedence.decide(before, w)) {
        case TraitPrecedence.Decision.Refused r -> out.add(new Outcome(w.name(), false, r.reason()));
        case TraitPrecedence.Decision.Applied a -> {
          TraitState next = a.next();
          boolean sameValue = Objects.equals(valueOf(before), next.value());
          current.put(w.name(), next);
          appendChange(person, person, w, actor, now);
          store(person, next);
          if (!sameValue) {
            changed.put(w.name(), published(w.name(), next.value()));
          }
          out.add(new Outcome(w.name(), true, null));
        }
      }
    }
    events.changed(person, changed, null, null);
    return out;
  }

  /** Writes that only set traits not set yet (Sensors {@code profile_set_once}). */
  @Transactional
  public List<Outcome> writeOnce(int person, List<TraitWrite> writes, String actor) {
    locks.lock(person);
    Map<String, TraitState> current = current(person);
    List<TraitWrite> fresh = writes.stream()
        .filter(w -> current.get(w.name()) == null || current.get(w.name()).removed()).toList();
    return write(person, fresh, actor);
  }

  /** The person's traits (without removed ones), personal values decrypted or masked. */
  public List<TraitView> list(int person, boolean revealPii) {
    return jdbc.sql("SELECT name, value_plain, value_enc, source, observed_at FROM profile_trait WHERE person_id = ?"
            + " AND removed = FALSE ORDER BY name")
        .param(person)
        .query((rs, n) -> {
          String name = rs.getString(1);
          boolean personal = rs.getString(3) != null;
          String value = value(rs.getString(2), rs.getString(3), revealPii);
          return new TraitView(name, value, personal, rs.getString(4), rs.getTimestamp(5).toInstant());
        })
        .list();
  }

  /** The newest {@code limit} changes, newest first. */
  public List<ChangeView> changes(int person, int limit, boolean revealPii) {
    return jdbc.sql("SELECT id, name, value_plain, value_enc, removed, source, actor, observed_at, recorded_at"
            + " FROM profile_trait_change WHERE person_id = ? ORDER BY recorded_at DESC, id DESC LIMIT ?")
        .params(person, limit)
        .query((rs, n) -> new ChangeView(rs.getLong(1), rs.getString(2), value(rs.getString(3), rs.getString(4), revealPii),
            rs.getBoolean(5), rs.getString(4) != null || isPii(rs.getString(2)), rs.getString(6), rs.getString(7),
            rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant()))
        .list();
  }

  /**
   * Rebuilds a person's current traits from their history (after a merge or a split moved history
   * rows); answers what changed, removed traits as null values.
   */
  @Transactional
  public Map<String, String> rebuild(int person) {
    Map<String, TraitState> before = current(person);
    List<TraitWrite> history = jdbc.sql("SELECT name, value_plain, value_enc, source, observed_at FROM profile_trait_change"
            + " WHERE person_id = ? ORDER BY id")
        .param(person)
        .query((rs, n) -> new TraitWrite(rs.getString(1), value(rs.getString(2), rs.getString(3), true), rs.getString(4),
            rs.getTimestamp(5).toInstant()))
        .list();
    Map<String, TraitState> after = precedence.fold(history);
    jdbc.sql("DELETE FROM profile_trait WHERE person_id = ?").param(person).update();
    after.values().forEach(s -> store(person, s));
    Map<String, String> changed = new LinkedHashMap<>();
    for (String name : union(before.keySet(), after.keySet())) {
      String b = valueOf(before.get(name));
      String a = valueOf(after.get(name));
      if (!Objects.equals(a, b)) {
        changed.put(name, published(name, a));
      }
    }
    return changed;
  }

  /** Deletes every trait of the person and its history (erasure); answers the names removed. */
  @Transactional
  public List<String> eraseAll(int person) {
    List<String> names = jdbc.sql("SELECT name FROM profile_trait WHERE person_id = ? AND removed = FALSE")
        .param(person).query(String.class).list();
    jdbc.sql("DELETE FROM profile_trait WHERE person_id = ?").param(person).update();
    jdbc.sql("DELETE FROM profile_trait_change WHERE person_id = ?").param(person).update();
    return names;
  }

  /**
   * The value {@code ProfileChanged} carries: personal values masked, because the publication registry
   * stores events (in clear) until they are delivered, and segments need no more than the mask.
   */
  private String published(String name, String value) {
    return value != null && isPii(name) ? TraitMasking.mask(value) : value;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new java.util.TreeSet<>(a);
    out.addAll(b);
    return out;
  }

  private static String valueOf(TraitState s) {
    return s == null ? null : s.value();
  }

  private Map<String, TraitState> current(int person) {
    Map<String, TraitState> out = new HashMap<>();
    jdbc.sql("SELECT name, value_plain, value_enc, source, observed_at FROM profile_trait WHERE person_id = ?")
        .param(person)
        .query(rs -> {
          out.put(rs.getString(1), state(rs));
        });
    return out;
  }

  private TraitState state(ResultSet rs) throws SQLException {
    return new TraitState(rs.getString(1), value(rs.getString(2), rs.getString(3), true), rs.getString(4),
        rs.getTimestamp(5).toInstant());
  }

  private String value(String plain, String sealed, boolean reveal) {
    if (sealed == null) {
      return plain;
    }
    String value = cipher.decrypt(sealed);
    return reveal ? value : TraitMasking.mask(value);
  }

  private void store(int person, TraitState s) {
    boolean personal = isPii(s.name()) && s.value() != null;
    jdbc.sql("DELETE FROM profile_trait WHERE person_id = ? AND name = ?").params(person, s.name()).update();
    jdbc.sql("INSERT INTO profile_trait (person_id, name, value_plain, value_enc, removed, source, observed_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(person, s.name(), personal ? null : s.value(), personal ? cipher.encrypt(s.value()) : null, s.removed(),
            s.source(), Timestamp.from(s.observedAt()))
        .update();
  }

  private void appendChange(int person, int origin, TraitWrite w, String actor, Instant now) {
    boolean personal = isPii(w.name()) && w.value() != null;
    jdbc.sql("INSERT INTO profile_trait_change (person_id, origin_person_id, name, value_plain, value_enc, removed, source,"
            + " actor, observed_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(person, origin, w.name(), personal ? null : w.value(), personal ? cipher.encrypt(w.value()) : null,
            w.removal(), w.source(), actor, Timestamp.from(w.observedAt()), Timestamp.from(now))
        .update();
  }
}
