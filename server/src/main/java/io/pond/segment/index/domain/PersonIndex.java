package io.pond.segment.index.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * The persons of the pond as bitmaps indexed by person id (31-bit OneID): one bitmap per tag, trait
 * value, tier, identifier type and consent; a bit-sliced index per computed metric; daily counts per
 * behaviour key and purchase category; and the first and last day each person was active. Segment
 * expressions are evaluated on it ({@code io.pond.segment.expression.domain.Evaluator}).
 *
 * <p>Not thread-safe: the segment module guards it with a read-write lock.
 */
public final class PersonIndex {

  /** Behaviour key counted for every event, whatever its name. */
  public static final String ANY_EVENT = "*";
  /** Purchase category counted for every paid order. */
  public static final String ANY_CATEGORY = "*";

  private final RoaringBitmap persons = new RoaringBitmap();
  private final Map<String, RoaringBitmap> tags = new TreeMap<>();
  private final Map<String, Map<String, RoaringBitmap>> traits = new TreeMap<>();
  private final Map<String, BitSlicedIndex> metrics = new TreeMap<>();
  private final Map<String, Map<String, RoaringBitmap>> tiers = new TreeMap<>(); // program → tier → persons
  private final Map<String, RoaringBitmap> identifierTypes = new TreeMap<>();
  private final Map<String, RoaringBitmap> consents = new TreeMap<>(); // purpose → granted
  private final Map<String, RoaringBitmap> refusals = new TreeMap<>(); // purpose → refused
  private final Map<String, DailyCounts> behaviour = new HashMap<>();
  private final Map<String, DailyCounts> purchases = new HashMap<>();
  private final BitSlicedIndex firstActiveDay = new BitSlicedIndex();
  private final BitSlicedIndex lastActiveDay = new BitSlicedIndex();

  // ---- writes --------------------------------------------------------------------------------

  public void addPerson(int person) {
    persons.add(person);
  }

  public void tag(int person, String tag, boolean on) {
    if (on) {
      persons.add(person);
      tags.computeIfAbsent(tag, t -> new RoaringBitmap()).add(person);
    } else {
      RoaringBitmap bitmap = tags.get(tag);
      if (bitmap != null) {
        bitmap.remove(person);
      }
    }
  }

  /** Replaces a tag's members (a rule or model tag refreshed). */
  public void replaceTag(String tag, RoaringBitmap members) {
    persons.or(members);
    tags.put(tag, members.clone());
  }

  // ---- bulk loads (benchmarks, imports): whole bitmaps at once ---------------------------------

  public void putMetric(String name, BitSlicedIndex index) {
    persons.or(index.existence());
    metrics.put(name, index);
  }

  /** Puts a behaviour key's counts; the caller adds the persons with {@link #addPersons}. */
  public void putBehaviour(String key, DailyCounts counts) {
    behaviour.put(key, counts);
  }

  public void addPersons(RoaringBitmap more) {
    persons.or(more);
  }

  public void dropTag(String tag) {
    tags.remove(tag);
  }

  /** Sets a trait value; {@code null} removes the trait. */
  public void trait(int person, String name, String value) {
    persons.add(person);
    Map<String, RoaringBitmap> values = traits.computeIfAbsent(name, n -> new HashMap<>());
    values.values().forEach(b -> b.remove(person));
    if (value != null) {
      values.computeIfAbsent(value, v -> new RoaringBitmap()).add(person);
    }
  }

  /** Sets a metric value; {@code null} removes it. Negative values are not indexed. */
  public void metric(int person, String name, Long value) {
    persons.add(person);
    BitSlicedIndex index = metrics.computeIfAbsent(name, n -> new BitSlicedIndex());
    if (value == null || value < 0) {
      index.remove(person);
    } else {
      index.set(person, value);
    }
  }

  public void consent(int person, String purpose, Boolean granted) {
    persons.add(person);
    consents.computeIfAbsent(purpose, p -> new RoaringBitmap()).remove(person);
    refusals.computeIfAbsent(purpose, p -> new RoaringBitmap()).remove(person);
    if (granted != null) {
      (granted ? consents : refusals).get(purpose).add(person);
    }
  }

  /** The person's tier in a loyalty program; {@code null} removes it. */
  public void tier(int person, String program, String tier) {
    persons.add(person);
    Map<String, RoaringBitmap> byTier = tiers.computeIfAbsent(program, p -> new HashMap<>());
    byTier.values().forEach(b -> b.remove(person));
    if (tier != null) {
      byTier.computeIfAbsent(tier, t -> new RoaringBitmap()).add(person);
    }
  }

  /** Replaces the set of identifier types the person holds. */
  public void identifierTypes(int person, Set<String> types) {
    persons.add(person);
    identifierTypes.values().forEach(b -> b.remove(person));
    for (String type : types) {
      identifierTypes.computeIfAbsent(type, t -> new RoaringBitmap()).add(person);
    }
  }

  /** The person did something counted under {@code key} on {@code day}. */
  public void behaviour(int person, String key, int day, int times) {
    persons.add(person);
    behaviour.computeIfAbsent(key, k -> new DailyCounts()).add(person, day, times);
    if (ANY_EVENT.equals(key)) {
      active(person, day);
    }
  }

  /** The person paid {@code orders} orders in a category (or {@link #ANY_CATEGORY}) on {@code day}. */
  public void purchase(int person, String category, int day, int orders) {
    persons.add(person);
    purchases.computeIfAbsent(category, k -> new DailyCounts()).add(person, day, orders);
    if (ANY_CATEGORY.equals(category)) {
      active(person, day);
    }
  }

  private void active(int person, int day) {
    OptionalLong first = firstActiveDay.get(person);
    if (first.isEmpty() || day < first.getAsLong()) {
      firstActiveDay.set(person, Math.max(0, day));
    }
    OptionalLong last = lastActiveDay.get(person);
    if (last.isEmpty() || day > last.getAsLong()) {
      lastActiveDay.set(person, Math.max(0, day));
    }
  }

  /** Forgets the person everywhere (before a reload after a merge, or when the person is gone). */
  public void remove(int person) {
    persons.remove(person);
    tags.values().forEach(b -> b.remove(person));
    traits.values().forEach(m -> m.values().forEach(b -> b.remove(person)));
    metrics.values().forEach(i -> i.remove(person));
    tiers.values().forEach(m -> m.values().forEach(b -> b.remove(person)));
    identifierTypes.values().forEach(b -> b.remove(person));
    consents.values().forEach(b -> b.remove(person));
    refusals.values().forEach(b -> b.remove(person));
    behaviour.values().forEach(c -> c.remove(person));
    purchases.values().forEach(c -> c.remove(person));
    firstActiveDay.remove(person);
    lastActiveDay.remove(person);
  }

  /**
   * Replaces what the index holds of the person by the stored facts. A person the index does not know
   * yet (every one, in a build) is in none of its bitmaps — anything that adds a person to one adds it
   * to {@code persons} — so there is nothing to remove: a removal visits every bitmap, every day of
   * every behaviour included, which made a build quadratic.
   */
  public void load(int person, PersonFacts facts) {
    if (persons.contains(person)) {
      remove(person);
    }
    persons.add(person);
    facts.tags().forEach(t -> tag(person, t, true));
    facts.traits().forEach((k, v) -> trait(person, k, v));
    facts.metrics().forEach((k, v) -> metric(person, k, v));
    facts.consents().forEach((k, v) -> consent(person, k, v));
    facts.tiers().forEach((k, v) -> tier(person, k, v));
    identifierTypes(person, facts.identifierTypes());
    facts.behaviour().forEach((key, days) -> days.forEach((day, n) -> behaviour(person, key, day, n)));
    facts.purchases().forEach((cat, days) -> days.forEach((day, n) -> purchase(person, cat, day, n)));
  }

  public void pruneBefore(int day) {
    behaviour.values().forEach(c -> c.pruneBefore(day));
    purchases.values().forEach(c -> c.pruneBefore(day));
  }

  /** Compacts runs after a bulk load. */
  public void runOptimize() {
    persons.runOptimize();
    tags.values().forEach(RoaringBitmap::runOptimize);
    traits.values().forEach(m -> m.values().forEach(RoaringBitmap::runOptimize));
    metrics.values().forEach(BitSlicedIndex::runOptimize);
    behaviour.values().forEach(DailyCounts::runOptimize);
    purchases.values().forEach(DailyCounts::runOptimize);
  }

  /**
   * Whether a metric bound inside a bin was asked {@code times} times: {@link #pinWantedBounds} would
   * give it a bin of its own (see {@link BitSlicedIndex}). Safe under the read lock.
   */
  public boolean wantsBins(int times) {
    for (BitSlicedIndex index : metrics.values()) {
      if (index.wants(times)) {
        return true;
      }
    }
    return false;
  }

  /** Pins the metric bounds asked {@code times} times (under the write lock); how many bins were added. */
  public int pinWantedBounds(int times) {
    int added = 0;
    for (BitSlicedIndex index : metrics.values()) {
      added += index.pinWanted(times);
    }
    return added;
  }

  /** The pinned bounds per metric, to carry over to a rebuilt index. */
  public Map<String, List<Long>> pinnedBounds() {
    Map<String, List<Long>> out = new TreeMap<>();
    metrics.forEach((name, index) -> {
      if (!index.pinned().isEmpty()) {
        out.put(name, index.pinned());
      }
    });
    return out;
  }

  /** Pins these bounds (from {@link #pinnedBounds()} of the index this one replaces). */
  public void pinBounds(Map<String, List<Long>> bounds) {
    bounds.forEach((name, values) -> {
      BitSlicedIndex index = metrics.get(name);
      if (index != null) {
        values.forEach(index::pin);
      }
    });
  }

  // ---- views for the evaluator: the index's own bitmaps, read only, under the read lock ----------

  private static final RoaringBitmap NONE = new RoaringBitmap();

  /** Every person the index knows (read only). */
  public RoaringBitmap personsView() {
    return persons;
  }

  /** The tag's members (read only; empty for an unknown tag). */
  public RoaringBitmap tagView(String tag) {
    return tags.getOrDefault(tag, NONE);
  }

  /** Persons who granted consent for the purpose (read only). */
  public RoaringBitmap consentView(String purpose) {
    return consents.getOrDefault(purpose, NONE);
  }

  /** Persons with one trait value (read only). */
  public RoaringBitmap traitView(String name, String value) {
    return traits.getOrDefault(name, Map.of()).getOrDefault(value, NONE);
  }

  /** The metric's bit-sliced index, or null when no person has the metric. */
  public BitSlicedIndex metricIndex(String name) {
    return metrics.get(name);
  }

  // ---- reads (each answer is a new bitmap the caller may change) -------------------------------

  public RoaringBitmap persons() {
    return persons.clone();
  }

  public int personCount() {
    return persons.getCardinality();
  }

  public RoaringBitmap tag(String tag) {
    RoaringBitmap b = tags.get(tag);
    return b == null ? new RoaringBitmap() : b.clone();
  }

  public boolean hasTag(String tag) {
    return tags.containsKey(tag);
  }

  public Set<String> tagNames() {
    return new TreeSet<>(tags.keySet());
  }

  public RoaringBitmap traitIn(String name, List<String> values) {
    Map<String, RoaringBitmap> byValue = traits.getOrDefault(name, Map.of());
    List<RoaringBitmap> hits = new ArrayList<>();
    for (String value : values) {
      RoaringBitmap b = byValue.get(value);
      if (b != null) {
        hits.add(b);
      }
    }
    return hits.isEmpty() ? new RoaringBitmap() : FastAggregation.or(hits.iterator());
  }

  public RoaringBitmap traitPresent(String name) {
    Map<String, RoaringBitmap> byValue = traits.getOrDefault(name, Map.of());
    return byValue.isEmpty() ? new RoaringBitmap() : FastAggregation.or(byValue.values().iterator());
  }

  public RoaringBitmap metricRange(String name, Long min, Long max) {
    return metricRange(name, min, max, null);
  }

  /** Persons of {@code within} (null: everyone) whose metric lies in [min, max]. */
  public RoaringBitmap metricRange(String name, Long min, Long max, RoaringBitmap within) {
    BitSlicedIndex index = metrics.get(name);
    return index == null ? new RoaringBitmap() : index.range(min, max, within);
  }

  public OptionalLong metric(int person, String name) {
    BitSlicedIndex index = metrics.get(name);
    return index == null ? OptionalLong.empty() : index.get(person);
  }

  /** Persons whose tier is one of {@code tierCodes}, in one program or (null) any program. */
  public RoaringBitmap tierIn(String program, List<String> tierCodes) {
    List<RoaringBitmap> hits = new ArrayList<>();
    tiers.forEach((p, byTier) -> {
      if (program == null || program.equals(p)) {
        for (String code : tierCodes) {
          RoaringBitmap b = byTier.get(code);
          if (b != null) {
            hits.add(b);
          }
        }
      }
    });
    return hits.isEmpty() ? new RoaringBitmap() : FastAggregation.or(hits.iterator());
  }

  /** Persons with any tier in any program (members). */
  public RoaringBitmap members() {
    List<RoaringBitmap> all = new ArrayList<>();
    tiers.values().forEach(m -> all.addAll(m.values()));
    return all.isEmpty() ? new RoaringBitmap() : FastAggregation.or(all.iterator());
  }

  /** The identifier types the person holds, as indexed. */
  public Set<String> identifierTypesOf(int person) {
    Set<String> types = new TreeSet<>();
    identifierTypes.forEach((type, b) -> {
      if (b.contains(person)) {
        types.add(type);
      }
    });
    return types;
  }

  public RoaringBitmap holdingAnyOf(List<String> types) {
    List<RoaringBitmap> hits = new ArrayList<>();
    for (String type : types) {
      RoaringBitmap b = identifierTypes.get(type);
      if (b != null) {
        hits.add(b);
      }
    }
    return hits.isEmpty() ? new RoaringBitmap() : FastAggregation.or(hits.iterator());
  }

  public RoaringBitmap consented(String purpose) {
    RoaringBitmap b = consents.get(purpose);
    return b == null ? new RoaringBitmap() : b.clone();
  }

  /** Persons who did what {@code key} counts at least {@code times} times on days [from, to]. */
  public RoaringBitmap did(String key, int times, int from, int to) {
    DailyCounts counts = behaviour.get(key);
    return counts == null ? new RoaringBitmap() : counts.atLeast(times, from, to);
  }

  /** Like {@link #did} with the counts of several keys summed (one event, several property values). */
  public RoaringBitmap didAny(List<String> keys, int times, int from, int to) {
    List<DailyCounts> counts = keys.stream().map(behaviour::get).filter(java.util.Objects::nonNull).toList();
    return DailyCounts.atLeast(counts, times, from, to);
  }

  /** Persons with at least {@code orders} paid orders in a category on days [from, to]. */
  public RoaringBitmap bought(String category, int orders, int from, int to) {
    DailyCounts counts = purchases.get(category);
    return counts == null ? new RoaringBitmap() : counts.atLeast(orders, from, to);
  }

  /** Persons first active on or after {@code day}. */
  public RoaringBitmap firstActiveSince(int day) {
    return firstActiveDay.range((long) Math.max(0, day), null);
  }

  /** Persons last active within [from, to] (null bounds are open). */
  public RoaringBitmap lastActiveWithin(Integer from, Integer to) {
    return lastActiveDay.range(from == null ? null : (long) Math.max(0, from), to == null ? null : (long) to);
  }

  /** Heap bytes held by the bitmaps (an estimate by RoaringBitmap, without map overhead). */
  public long sizeInBytes() {
    long size = persons.getLongSizeInBytes();
    for (RoaringBitmap b : tags.values()) {
      size += b.getLongSizeInBytes();
    }
    for (Map<String, RoaringBitmap> m : traits.values()) {
      for (RoaringBitmap b : m.values()) {
        size += b.getLongSizeInBytes();
      }
    }
    for (BitSlicedIndex i : metrics.values()) {
      size += i.sizeInBytes();
    }
    for (Map<String, RoaringBitmap> m : tiers.values()) {
      for (RoaringBitmap b : m.values()) {
        size += b.getLongSizeInBytes();
      }
    }
    for (RoaringBitmap b : identifierTypes.values()) {
      size += b.getLongSizeInBytes();
    }
    for (RoaringBitmap b : consents.values()) {
      size += b.getLongSizeInBytes();
    }
    for (DailyCounts c : behaviour.values()) {
      size += c.sizeInBytes();
    }
    for (DailyCounts c : purchases.values()) {
      size += c.sizeInBytes();
    }
    return size + firstActiveDay.sizeInBytes() + lastActiveDay.sizeInBytes();
  }

  /**
   * A canonical description of the whole index (every bitmap's members by name), for tests that
   * compare two indexes built by different paths.
   */
  public String fingerprint() {
    StringBuilder b = new StringBuilder();
    b.append("persons=").append(persons).append('\n');
    tags.forEach((k, v) -> { if (!v.isEmpty()) b.append("tag:").append(k).append('=').append(v).append('\n'); });
    traits.forEach((k, m) -> new TreeMap<>(m).forEach((val, bm) -> {
      if (!bm.isEmpty()) b.append("trait:").append(k).append('=').append(val).append(':').append(bm).append('\n');
    }));
    metrics.forEach((k, i) -> {
      RoaringBitmap e = i.existence();
      if (!e.isEmpty()) {
        b.append("metric:").append(k).append('=');
        e.forEach((int p) -> b.append(p).append(':').append(i.get(p).getAsLong()).append(','));
        b.append('\n');
      }
    });
    tiers.forEach((p, m) -> new TreeMap<>(m).forEach((t, bm) -> {
      if (!bm.isEmpty()) b.append("tier:").append(p).append('/').append(t).append('=').append(bm).append('\n');
    }));
    identifierTypes.forEach((k, v) -> { if (!v.isEmpty()) b.append("type:").append(k).append('=').append(v).append('\n'); });
    consents.forEach((k, v) -> { if (!v.isEmpty()) b.append("consent:").append(k).append('=').append(v).append('\n'); });
    refusals.forEach((k, v) -> { if (!v.isEmpty()) b.append("refusal:").append(k).append('=').append(v).append('\n'); });
    appendCounts(b, "did:", behaviour);
    appendCounts(b, "bought:", purchases);
    b.append("first=").append(firstActiveDay.existence()).append('\n');
    return b.toString();
  }

  private void appendCounts(StringBuilder b, String prefix, Map<String, DailyCounts> counts) {
    new TreeMap<>(counts).forEach((k, c) -> {
      RoaringBitmap any = c.anyDay();
      if (!any.isEmpty()) {
        b.append(prefix).append(k).append('=');
        any.forEach((int p) -> b.append(p).append(c.countsOf(p)).append(','));
        b.append('\n');
      }
    });
  }
}
