package io.pond.segment.index.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * How many times each person did one thing (an event, an order in a category) per day, as bitmaps in
 * a thermometer code: level {@code k} of a day holds the persons who did it more than {@code k} times
 * that day. Most persons do a thing once a day, so level 0 carries nearly everything and higher levels
 * are tiny. "At least N times in days [from, to]" is a threshold count over the levels with bitmap
 * ANDs and ORs only. Not thread-safe: the owner guards it.
 */
public final class DailyCounts {

  private final TreeMap<Integer, List<RoaringBitmap>> days = new TreeMap<>();

  /** Records {@code times} more occurrences of the person on the day. */
  public void add(int person, int day, int times) {
    List<RoaringBitmap> levels = days.computeIfAbsent(day, d -> new ArrayList<>(1));
    int level = 0;
    for (int added = 0; added < times; level++) {
      if (level == levels.size()) {
        levels.add(new RoaringBitmap());
      }
      if (levels.get(level).checkedAdd(person)) {
        added++;
      }
    }
  }

  /**
   * Adds a whole day at once (bulk loads): {@code levels[k]} holds the persons who did it more than
   * {@code k} times that day (each level within the one below). Adds to what the day already holds.
   */
  public void addDay(int day, List<RoaringBitmap> levels) {
    if (levels.isEmpty() || levels.get(0).isEmpty()) {
      return;
    }
    if (!days.containsKey(day)) {
      days.put(day, new ArrayList<>(levels));
      return;
    }
    RoaringBitmap counted = levels.get(0);
    counted.forEach((int person) -> {
      int times = 1;
      while (times < levels.size() && levels.get(times).contains(person)) {
        times++;
      }
      add(person, day, times);
    });
  }

  /** How many times the person did it on the day. */
  public int count(int person, int day) {
    List<RoaringBitmap> levels = days.get(day);
    int count = 0;
    if (levels != null) {
      while (count < levels.size() && levels.get(count).contains(person)) {
        count++;
      }
    }
    return count;
  }

  /** Persons who did it at least {@code times} times (at least 1) on days {@code from..to} inclusive. */
  public RoaringBitmap atLeast(int times, int from, int to) {
    return atLeast(List.of(this), times, from, to);
  }

  /**
   * Persons whose occurrences, summed over several counts (e.g. one per property value), reach
   * {@code times} on days {@code from..to}.
   */
  public static RoaringBitmap atLeast(List<DailyCounts> counts, int times, int from, int to) {
    List<List<RoaringBitmap>> windows = new ArrayList<>();
    for (DailyCounts c : counts) {
      windows.addAll(c.days.subMap(from, true, to, true).values());
    }
    if (times <= 1) {
      List<RoaringBitmap> firsts = new ArrayList<>(windows.size());
      windows.forEach(levels -> firsts.add(levels.get(0)));
      return firsts.isEmpty() ? new RoaringBitmap() : FastAggregation.or(firsts.iterator());
    }
    // every level of every day is one unit: a person did it at least `times` times when in that many
    List<RoaringBitmap> units = new ArrayList<>();
    windows.forEach(units::addAll);
    return Conjunction.atLeast(units, times);
  }

  /** Every person who did it on any day. */
  public RoaringBitmap anyDay() {
    return atLeast(1, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  public void remove(int person) {
    for (List<RoaringBitmap> levels : days.values()) {
      for (RoaringBitmap level : levels) {
        if (!level.checkedRemove(person)) {
          break; // each level lies within the one below: not in this one, in none above
        }
      }
    }
  }

  /** Forgets days before {@code day} (older than the longest window anyone may ask for). */
  public void pruneBefore(int day) {
    days.headMap(day, false).clear();
  }

  /** (day, count) for the person, for moving a person's history on a merge. */
  public Map<Integer, Integer> countsOf(int person) {
    Map<Integer, Integer> out = new TreeMap<>();
    for (int day : days.keySet()) {
      int c = count(person, day);
      if (c > 0) {
        out.put(day, c);
      }
    }
    return out;
  }

  public boolean isEmpty() {
    return days.isEmpty();
  }

  public void runOptimize() {
    days.values().forEach(levels -> levels.forEach(RoaringBitmap::runOptimize));
  }

  public long sizeInBytes() {
    long size = 0;
    for (List<RoaringBitmap> levels : days.values()) {
      for (RoaringBitmap level : levels) {
        size += level.getLongSizeInBytes() + 16;
      }
    }
    return size;
  }
}
