package io.pond.segment.index.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the index knows of one person, as stored by the segment module: what a full load or a
 * rebuild puts into the bitmaps.
 *
 * @param tiers loyalty program → tier code
 * @param identifierTypes the types of identifiers the person holds (channel presence)
 * @param behaviour per behaviour key ({@code event}, {@code event|property=value}, {@code *}) the
 *     count per epoch day
 * @param purchases per category ({@code *} for any order) the paid orders per epoch day
 */
public record PersonFacts(
    Map<String, String> traits,
    Map<String, Long> metrics,
    Map<String, Boolean> consents,
    Map<String, String> tiers,
    Set<String> identifierTypes,
    Set<String> tags,
    Map<String, Map<Integer, Integer>> behaviour,
    Map<String, Map<Integer, Integer>> purchases) {

  public static PersonFacts empty() {
    return new PersonFacts(Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), Set.of(), Map.of(), Map.of());
  }

  /** A count at (key, day) of a fact map. */
  public record DayCount(String key, int day, int count) {}

  public static List<DayCount> flatten(Map<String, Map<Integer, Integer>> counts) {
    return counts.entrySet().stream()
        .flatMap(e -> e.getValue().entrySet().stream().map(d -> new DayCount(e.getKey(), d.getKey(), d.getValue())))
        .toList();
  }
}
