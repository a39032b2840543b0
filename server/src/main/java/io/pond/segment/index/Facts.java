package io.pond.segment.index;

import io.pond.platform.storage.InLists;
import io.pond.segment.index.domain.PersonFacts;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The stored facts the bitmap index is built from ({@code segment_profile}: a person's traits, metrics,
 * consents and paid orders per category and day in one row; {@code segment_fact}: tiers and identifier
 * types; {@code segment_daily}: behaviour counts; {@code segment_tag_member}): written in the
 * transaction of the change that caused them, read whole at start-up and by a rebuild. A person's
 * profile row is updated optimistically (listeners of profile changes and of paid orders write the
 * same persons at once). The other upserts are an UPDATE, then an INSERT of the rows it did not find
 * (portable between H2 and PostgreSQL); one writer per person and kind at a time is assumed (listeners
 * and the event consumer touch different kinds).
 */
@Component
public class Facts {

  public static final String TRAIT = "trait";
  public static final String METRIC = "metric";
  public static final String CONSENT = "consent";
  public static final String TIER = "tier";
  public static final String IDTYPE = "idtype";
  public static final String DID = "did";
  public static final String BOUGHT = "bought";

  /** Fact kinds kept together per person in {@code segment_profile} with the purchase counts (see {@link ProfileFacts}). */
  static final Set<String> PROFILE_KINDS = Set.of(TRAIT, METRIC, CONSENT);

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final Clock clock;

  Facts(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
    this.jdbc = jdbc;
    this.template = template;
    this.clock = clock;
  }

  /** Records that the index knows the person (the universe of NOT), once. */
  public void touch(Collection<Integer> persons) {
    List<Object[]> rows = persons.stream().distinct().map(p -> new Object[] {p, p}).toList();
    if (!rows.isEmpty()) {
      template.batchUpdate(
          "INSERT INTO segment_person (person_id) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM segment_person WHERE person_id = ?)", rows);
    }
  }

  public void touch(int person) {
    touch(List.of(person));
  }

  /** Sets (value non-null) or removes a fact. */
  public void put(int person, String kind, String name, String value) {
    putAll(List.of(new Fact(person, kind, name, value)));
  }

  /** A fact to set (value non-null) or remove. */
  public record Fact(int person, String kind, String name, String value) {}

  /**
   * {@link #put} for many facts, in order (a later fact of the same person, kind and name wins), with
   * batched statements: a bulk load's profile changes are thousands of facts.
   */
  public void putAll(List<Fact> facts) {
    Map<Integer, List<Fact>> profiles = new java.util.LinkedHashMap<>();
    Map<List<Object>, Fact> last = new java.util.LinkedHashMap<>();
    for (Fact f : facts) {
      if (PROFILE_KINDS.contains(f.kind())) {
        profiles.computeIfAbsent(f.person(), p -> new ArrayList<>()).add(f);
      } else {
        last.put(List.of(f.person(), f.kind(), f.name()), f);
      }
    }
    if (!profiles.isEmpty()) {
      updateProfiles(profiles.keySet(), (person, current) -> profiles.get(person).forEach(current::apply));
    }
    List<Object[]> deletes = new ArrayList<>();
    List<Object[]> updates = new ArrayList<>();
    for (Fact f : last.values()) {
      if (f.value() == null) {
        deletes.add(new Object[] {f.person(), f.kind(), f.name()});
      } else {
        updates.add(new Object[] {f.value(), f.person(), f.kind(), f.name()});
      }
    }
    if (!deletes.isEmpty()) {
      template.batchUpdate("DELETE FROM segment_fact WHERE person_id = ? AND kind = ? AND name = ?", deletes);
    }
    if (updates.isEmpty()) {
      return;
    }
    upsert("UPDATE segment_fact SET fact_value = ? WHERE person_id = ? AND kind = ? AND name = ?",
        "INSERT INTO segment_fact (fact_value, person_id, kind, name) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", updates);
  }

  /**
   * Updates the rows, inserts those that are not there, and updates again those that another
   * listener's transaction inserted meanwhile (listeners of different events write facts of the same
   * person concurrently: a plain insert after a missed update failed on the key). The parameters are
   * the same for all three statements.
   */
  private void upsert(String update, String insertOrNothing, List<Object[]> rows) {
    List<Object[]> missing = missed(template.batchUpdate(update, rows), rows);
    if (!missing.isEmpty()) {
      List<Object[]> lost = missed(template.batchUpdate(insertOrNothing, missing), missing);
      if (!lost.isEmpty()) {
        template.batchUpdate(update, lost);
      }
    }
  }

  /** The rows whose statement changed nothing. */
  private static List<Object[]> missed(int[] counts, List<Object[]> rows) {
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        out.add(rows.get(i));
      }
    }
    return out;
  }

  /**
   * Applies {@code change(person, facts)} to the persons' profile rows, optimistically: a row changed
   * by another transaction since it was read (its version moved) or inserted meanwhile is read again and
   * changed again. Writers of the same person are concurrent listeners of profile changes, paid
   * orders and merges; rows are written in person order.
   */
  private void updateProfiles(Collection<Integer> persons, BiConsumer<Integer, ProfileFacts> change) {
    Set<Integer> pending = new TreeSet<>(persons);
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > 20) {
        throw new IllegalStateException("the profile facts of " + pending.size() + " persons kept changing concurrently");
      }
      Map<Integer, StoredProfile> stored = storedProfiles(pending);
      List<Integer> updated = new ArrayList<>();
      List<Object[]> updates = new ArrayList<>();
      List<Integer> inserted = new ArrayList<>();
      List<Object[]> inserts = new ArrayList<>();
      for (int person : pending) {
        StoredProfile s = stored.get(person);
        ProfileFacts facts = s == null ? new ProfileFacts() : s.facts();
        change.accept(person, facts);
        String encoded = facts.encode();
        if (s != null) {
          updated.add(person);
          updates.add(new Object[] {encoded, person, s.version()});
        } else {
          inserted.add(person);
          inserts.add(new Object[] {person, encoded});
        }
      }
      Set<Integer> again = new TreeSet<>();
      if (!updates.isEmpty()) {
        collectMissed(template.batchUpdate(
            "UPDATE segment_profile SET facts = ?, version = version + 1 WHERE person_id = ? AND version = ?", updates), updated, again);
      }
      if (!inserts.isEmpty()) {
        collectMissed(template.batchUpdate(
            "INSERT INTO segment_profile (person_id, version, facts) VALUES (?, 0, ?) ON CONFLICT DO NOTHING", inserts), inserted, again);
      }
      pending = again;
      if (!pending.isEmpty()) {
        backOff(attempt);
      }
    }
  }

  /**
   * Before reading again the rows another transaction changed: on H2 an insert that meets a row another
   * transaction inserted but has not committed yet does nothing at once (PostgreSQL waits for it), and
   * the row stays invisible to our read until that commit — without a pause, the retries would all be
   * spent within a millisecond. 10, 20, 40 … 200 ms: about 3 s over all attempts.
   */
  private static void backOff(int attempt) {
    try {
      Thread.sleep(Math.min(200, 5L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing profile facts", e);
    }
  }

  private static void collectMissed(int[] counts, List<Integer> persons, Set<Integer> into) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        into.add(persons.get(i));
      }
    }
  }

  private record StoredProfile(int version, ProfileFacts facts) {}

  private Map<Integer, StoredProfile> storedProfiles(Collection<Integer> persons) {
    Map<Integer, StoredProfile> out = new HashMap<>();
    for (List<Integer> chunk : InLists.chunks(List.copyOf(persons))) {
      template.query("SELECT person_id, version, facts FROM segment_profile WHERE person_id IN (" + InLists.placeholders(chunk.size()) + ")",
          (ResultSet rs) -> {
            out.put(rs.getInt(1), new StoredProfile(rs.getInt(2), ProfileFacts.decode(rs.getString(3))));
          },
          chunk.toArray());
    }
    return out;
  }

  /** A daily count to add: (person, kind, counted, day) += times. */
  public record Increment(int person, String kind, String counted, int day, int times) {}

  public void add(List<Increment> increments) {
    Map<Integer, List<Increment>> bought = new java.util.LinkedHashMap<>();
    Map<List<Object>, Integer> merged = new java.util.LinkedHashMap<>();
    for (Increment i : increments) {
      if (BOUGHT.equals(i.kind())) {
        bought.computeIfAbsent(i.person(), p -> new ArrayList<>()).add(i);
      } else {
        merged.merge(List.of(i.person(), i.kind(), i.counted(), i.day()), i.times(), Integer::sum);
      }
    }
    if (!bought.isEmpty()) {
      updateProfiles(bought.keySet(),
          (person, current) -> bought.get(person).forEach(i -> current.bought(i.counted(), i.day(), i.times())));
    }
    if (merged.isEmpty()) {
      return;
    }
    List<Object[]> updates = new ArrayList<>();
    merged.forEach((k, t) -> updates.add(new Object[] {t, k.get(0), k.get(1), k.get(2), k.get(3)}));
    upsert("UPDATE segment_daily SET times = times + ? WHERE person_id = ? AND kind = ? AND counted = ? AND epoch_day = ?",
        "INSERT INTO segment_daily (times, person_id, kind, counted, epoch_day) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        updates);
  }

  /** Marks an order as counted; false when it was counted before. */
  public boolean firstTimeSeen(long orderId, int person) {
    if (jdbc.sql("SELECT COUNT(*) FROM segment_order_seen WHERE order_id = ?").param(orderId).query(Integer.class).single() > 0) {
      return false;
    }
    jdbc.sql("INSERT INTO segment_order_seen (order_id, person_id) VALUES (?, ?)").params(orderId, person).update();
    return true;
  }

  /** {@link #firstTimeSeen} for many orders (order id → person): answers the orders not seen before, now recorded. */
  public Set<Long> firstTimeSeen(Map<Long, Integer> orders) {
    Set<Long> seen = new HashSet<>();
    List<Long> ids = List.copyOf(orders.keySet());
    for (List<Long> chunk : InLists.chunks(ids)) {
      seen.addAll(jdbc.sql("SELECT order_id FROM segment_order_seen WHERE order_id IN (" + InLists.placeholders(chunk.size()) + ")")
          .params(chunk.toArray()).query(Long.class).list());
    }
    Set<Long> fresh = new java.util.LinkedHashSet<>(ids);
    fresh.removeAll(seen);
    if (!fresh.isEmpty()) {
      template.batchUpdate("INSERT INTO segment_order_seen (order_id, person_id) VALUES (?, ?)",
          fresh.stream().map(id -> new Object[] {id, orders.get(id)}).toList());
    }
    return fresh;
  }

  /** Drops daily counts older than {@code day} (outside the retention window). */
  public int pruneBefore(int day) {
    return jdbc.sql("DELETE FROM segment_daily WHERE epoch_day < ?").param(day).update();
  }

  /**
   * Moves everything of {@code merged} to {@code survivor}: the survivor's own facts win, counts add
   * up, tags unite (with history). Returns nothing; the caller reloads both persons into the index.
   */
  public void merge(int survivor, int merged, String source) {
    Instant now = clock.instant();
    jdbc.sql("""
        INSERT INTO segment_fact (person_id, kind, name, fact_value)
        SELECT ?, m.kind, m.name, m.fact_value FROM segment_fact m
        WHERE m.person_id = ? AND NOT EXISTS (
          SELECT 1 FROM segment_fact s WHERE s.person_id = ? AND s.kind = m.kind AND s.name = m.name)
        ON CONFLICT DO NOTHING""") // a listener of the survivor's own events may add the same fact meanwhile
        .params(survivor, merged, survivor).update();
    jdbc.sql("DELETE FROM segment_fact WHERE person_id = ?").param(merged).update();
    StoredProfile mergedProfile = storedProfiles(List.of(merged)).get(merged);
    if (mergedProfile != null) {
      updateProfiles(List.of(survivor), (person, current) -> current.absorb(mergedProfile.facts()));
      jdbc.sql("DELETE FROM segment_profile WHERE person_id = ?").param(merged).update();
    }
    List<Increment> moved = jdbc.sql("SELECT kind, counted, epoch_day, times FROM segment_daily WHERE person_id = ?").param(merged)
        .query((rs, n) -> new Increment(survivor, rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4))).list();
    jdbc.sql("DELETE FROM segment_daily WHERE person_id = ?").param(merged).update();
    add(moved);
    List<String> gained = jdbc.sql("""
        SELECT m.tag_code FROM segment_tag_member m WHERE m.person_id = ? AND NOT EXISTS (
          SELECT 1 FROM segment_tag_member s WHERE s.person_id = ? AND s.tag_code = m.tag_code)""")
        .params(merged, survivor).query(String.class).list();
    List<String> lost = jdbc.sql("SELECT tag_code FROM segment_tag_member WHERE person_id = ?").param(merged).query(String.class).list();
    for (String tag : gained) {
      jdbc.sql("INSERT INTO segment_tag_member (tag_code, person_id, since) VALUES (?, ?, ?)").params(tag, survivor, ts(now)).update();
      history(tag, survivor, "added", source, now);
    }
    for (String tag : lost) {
      history(tag, merged, "removed", source, now);
    }
    jdbc.sql("DELETE FROM segment_tag_member WHERE person_id = ?").param(merged).update();
    jdbc.sql("UPDATE segment_order_seen SET person_id = ? WHERE person_id = ?").params(survivor, merged).update();
    jdbc.sql("DELETE FROM segment_person WHERE person_id = ?").param(merged).update();
    touch(survivor);
  }

  public void history(String tag, int person, String action, String source, Instant at) {
    jdbc.sql("INSERT INTO segment_tag_history (tag_code, person_id, action, source, changed_at) VALUES (?, ?, ?, ?, ?)")
        .params(tag, person, action, source, ts(at)).update();
  }

  static OffsetDateTime ts(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  /** The stored facts of one person. */
  public PersonFacts of(int person) {
    Map<Integer, Builder> one = new HashMap<>();
    read(" WHERE person_id = " + person, one);
    Builder b = one.get(person);
    return b == null ? PersonFacts.empty() : b.build();
  }

  /** Every person's stored facts, one person at a time (in no particular order). */
  public void forEach(BiConsumer<Integer, PersonFacts> sink) {
    Map<Integer, Builder> all = new HashMap<>();
    read("", all);
    all.forEach((p, b) -> sink.accept(p, b.build()));
  }

  private void read(String where, Map<Integer, Builder> into) {
    template.query("SELECT person_id FROM segment_person" + where, (ResultSet rs) -> {
      into.computeIfAbsent(rs.getInt(1), p -> new Builder());
    });
    template.query("SELECT person_id, kind, name, fact_value FROM segment_fact" + where, (ResultSet rs) -> {
      Builder b = into.computeIfAbsent(rs.getInt(1), p -> new Builder());
      String name = rs.getString(3);
      String value = rs.getString(4);
      switch (rs.getString(2)) {
        case TIER -> b.tiers.put(name, value);
        case IDTYPE -> b.types.add(name);
        default -> { }
      }
    });
    template.query("SELECT person_id, facts FROM segment_profile" + where, (ResultSet rs) -> {
      Builder b = into.computeIfAbsent(rs.getInt(1), p -> new Builder());
      ProfileFacts stored = ProfileFacts.decode(rs.getString(2));
      b.traits.putAll(stored.traits);
      b.metrics.putAll(stored.metrics);
      b.consents.putAll(stored.consents);
      stored.purchases.forEach((category, days) -> b.purchases.computeIfAbsent(category, k -> new TreeMap<>()).putAll(days));
    });
    template.query("SELECT person_id, kind, counted, epoch_day, times FROM segment_daily" + where, (ResultSet rs) -> {
      Builder b = into.computeIfAbsent(rs.getInt(1), p -> new Builder());
      Map<String, Map<Integer, Integer>> target = DID.equals(rs.getString(2)) ? b.behaviour : b.purchases;
      target.computeIfAbsent(rs.getString(3), k -> new TreeMap<>()).merge(rs.getInt(4), rs.getInt(5), Integer::sum);
    });
    template.query("SELECT person_id, tag_code FROM segment_tag_member" + where, (ResultSet rs) -> {
      into.computeIfAbsent(rs.getInt(1), p -> new Builder()).tags.add(rs.getString(2));
    });
  }

  private static final class Builder {
    final Map<String, String> traits = new HashMap<>();
    final Map<String, Long> metrics = new HashMap<>();
    final Map<String, Boolean> consents = new HashMap<>();
    final Map<String, String> tiers = new HashMap<>();
    final Set<String> types = new HashSet<>();
    final Set<String> tags = new HashSet<>();
    final Map<String, Map<Integer, Integer>> behaviour = new HashMap<>();
    final Map<String, Map<Integer, Integer>> purchases = new HashMap<>();

    PersonFacts build() {
      return new PersonFacts(traits, metrics, consents, tiers, types, tags, behaviour, purchases);
    }
  }
}
