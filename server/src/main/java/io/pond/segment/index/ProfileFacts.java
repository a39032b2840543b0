package io.pond.segment.index;

import java.util.Map;
import java.util.TreeMap;

/**
 * A person's facts as the segment module stores them in one text ({@code segment_profile.facts}): the
 * traits, metrics and consents of profile changes and the paid orders per category and day. Each entry
 * is a kind letter ({@code t}, {@code m}, {@code c}, {@code b}), then the name and the value, each as
 * {@code length:text}: {@code t4:city2:上海m11:order_count1:3b1:*11:20250=1,20260=2}; a purchase entry's
 * name is the category ({@code *} for any) and its value the count per epoch day. Lengths make any name
 * or value safe; entries are in kind and name order, so equal facts store equal text.
 */
final class ProfileFacts {

  final Map<String, String> traits = new TreeMap<>();
  final Map<String, Long> metrics = new TreeMap<>();
  final Map<String, Boolean> consents = new TreeMap<>();
  /** category → epoch day → paid orders */
  final Map<String, TreeMap<Integer, Integer>> purchases = new TreeMap<>();

  /** Applies a stored fact of kind trait, metric or consent: a null value removes it. */
  void apply(Facts.Fact f) {
    switch (f.kind()) {
      case Facts.TRAIT -> put(traits, f.name(), f.value());
      case Facts.METRIC -> put(metrics, f.name(), f.value() == null ? null : Long.parseLong(f.value()));
      case Facts.CONSENT -> put(consents, f.name(), f.value() == null ? null : Boolean.parseBoolean(f.value()));
      default -> throw new IllegalArgumentException("not a profile fact: " + f.kind());
    }
  }

  /** Adds {@code times} paid orders of a category on a day (a count that reaches 0 is removed). */
  void bought(String category, int day, int times) {
    TreeMap<Integer, Integer> days = purchases.computeIfAbsent(category, k -> new TreeMap<>());
    if (days.merge(day, times, Integer::sum) == 0) {
      days.remove(day);
    }
    if (days.isEmpty()) {
      purchases.remove(category);
    }
  }

  /** A merge into this person: the other's traits, metrics and consents that this one lacks, and all its purchases. */
  void absorb(ProfileFacts other) {
    other.traits.forEach(traits::putIfAbsent);
    other.metrics.forEach(metrics::putIfAbsent);
    other.consents.forEach(consents::putIfAbsent);
    other.purchases.forEach((category, days) -> days.forEach((day, times) -> bought(category, day, times)));
  }

  private static <V> void put(Map<String, V> map, String name, V value) {
    if (value == null) {
      map.remove(name);
    } else {
      map.put(name, value);
    }
  }

  String encode() {
    StringBuilder out = new StringBuilder();
    traits.forEach((name, value) -> entry(out, 't', name, value));
    metrics.forEach((name, value) -> entry(out, 'm', name, Long.toString(value)));
    consents.forEach((name, value) -> entry(out, 'c', name, Boolean.toString(value)));
    purchases.forEach((category, days) -> {
      StringBuilder counts = new StringBuilder();
      days.forEach((day, times) -> counts.append(counts.isEmpty() ? "" : ",").append(day).append('=').append(times));
      entry(out, 'b', category, counts.toString());
    });
    return out.toString();
  }

  private static void entry(StringBuilder out, char kind, String name, String value) {
    out.append(kind).append(name.length()).append(':').append(name).append(value.length()).append(':').append(value);
  }

  static ProfileFacts decode(String encoded) {
    ProfileFacts out = new ProfileFacts();
    int i = 0;
    while (encoded != null && i < encoded.length()) {
      char kind = encoded.charAt(i++);
      int colon = encoded.indexOf(':', i);
      int end = colon + 1 + Integer.parseInt(encoded, i, colon, 10);
      String name = encoded.substring(colon + 1, end);
      colon = encoded.indexOf(':', end);
      i = colon + 1 + Integer.parseInt(encoded, end, colon, 10);
      String value = encoded.substring(colon + 1, i);
      switch (kind) {
        case 't' -> out.traits.put(name, value);
        case 'm' -> out.metrics.put(name, Long.parseLong(value));
        case 'c' -> out.consents.put(name, Boolean.parseBoolean(value));
        case 'b' -> {
          for (String count : value.split(",")) {
            int eq = count.indexOf('=');
            out.bought(name, Integer.parseInt(count, 0, eq, 10), Integer.parseInt(count, eq + 1, count.length(), 10));
          }
        }
        default -> throw new IllegalStateException("unknown kind '" + kind + "' in stored profile facts");
      }
    }
    return out;
  }
}
