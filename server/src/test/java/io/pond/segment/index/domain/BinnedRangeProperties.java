package io.pond.segment.index.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The range-encoded bins next to a bit-sliced index stay exact under any sequence of updates, and a
 * range answered with bins and slices equals a scan of the raw values: bounds on, next to and between
 * the bins' bounds, below and above every value, open bounds, after random sets and removes (values
 * outside the bins' original span, repeated values, persons removed and set again), also once the
 * bounds asked have been pinned as bins of their own and after a rebin that keeps them.
 */
class BinnedRangeProperties {

  @Test
  void bins_and_slices_answer_every_range_like_a_scan_after_random_updates() {
    qt().withExamples(25)
        .forAll(longs().all(), integers().between(2, 40), integers().between(1, 4))
        .checkAssert((seed, bins, shape) -> check(seed, bins, shape));
  }

  @Test
  void bins_built_in_bulk_and_rebinned_as_persons_double_answer_like_a_scan() {
    SplittableRandom random = new SplittableRandom(3);
    BitSlicedIndex.Builder builder = new BitSlicedIndex.Builder();
    BitSlicedIndex single = new BitSlicedIndex();
    Map<Integer, Long> values = new HashMap<>();
    for (int p = 0; p < 300_000; p += 1 + random.nextInt(3)) {
      long v = random.nextLong(100_000);
      builder.add(p, v);
      single.set(p, v); // rebins itself at 16,384, 32,768, … persons
      values.put(p, v);
    }
    BitSlicedIndex bulk = builder.build();
    assertThat(bulk.binCount()).isEqualTo(BitSlicedIndex.BINS);
    assertThat(single.binCount()).isGreaterThan(1);
    for (int q = 0; q < 30; q++) {
      Long min = q % 7 == 0 ? null : random.nextLong(110_000);
      Long max = q % 5 == 0 ? null : random.nextLong(110_000);
      RoaringBitmap expected = scan(values, min, max, null);
      assertThat(bulk.range(min, max)).as("bulk [%s, %s]", min, max).isEqualTo(expected);
      assertThat(single.range(min, max)).as("one at a time [%s, %s]", min, max).isEqualTo(expected);
    }
  }

  @Test
  void beyond_the_most_pinned_bounds_the_one_least_recently_asked_loses_its_bin() {
    BitSlicedIndex.Builder builder = new BitSlicedIndex.Builder();
    for (int p = 0; p < 50_000; p++) {
      builder.add(p, p);
    }
    BitSlicedIndex index = builder.build();
    for (int k = 0; k < BitSlicedIndex.MAX_PINNED; k++) {
      assertThat(index.pin(101 + k)).isTrue();
    }
    assertThat(index.range(101L, 999L).getLongCardinality()).isEqualTo(899); // asks 101 again (and notes 1000)
    assertThat(index.pin(40_001)).isTrue();
    assertThat(index.pinned()).hasSize(BitSlicedIndex.MAX_PINNED).contains(101L, 40_001L).doesNotContain(102L);
    assertThat(index.binLowerView()).contains(101L, 40_001L).doesNotContain(102L);
    assertThat(index.wants(1)).isTrue();
    assertThat(index.pinWanted(2)).isZero(); // 1000 was asked once: forgotten
    assertThat(index.range(102L, 40_000L).getLongCardinality()).isEqualTo(40_000 - 102 + 1);
  }

  private static void check(long seed, int bins, int shape) {
    SplittableRandom random = new SplittableRandom(seed);
    // 1: few distinct values (bins collapse), 2: uniform, 3: skewed (many small), 4: many containers
    int space = shape == 4 ? 400_000 : 30_000;
    int step = shape == 4 ? 7 : 1;
    long span = shape == 1 ? 6 : shape == 3 ? 1L << 30 : 1 + random.nextLong(1L << 20);
    BitSlicedIndex index = new BitSlicedIndex();
    Map<Integer, Long> values = new HashMap<>();
    for (int p = 0; p < space; p += step) {
      if (random.nextDouble() < 0.7) {
        long v = value(random, shape, span);
        index.set(p, v);
        values.put(p, v);
      }
    }
    index.rebin(bins);
    assertBinsExact(index, values);
    assertRanges(index, values, random, "after the build");

    // the bounds the ranges asked inside bins get bins of their own (at most MAX_PINNED stay pinned)
    if (index.binCount() > 1) {
      assertThat(index.wants(1)).isTrue();
      index.pinWanted(1);
      assertThat(index.wants(1)).isFalse();
      assertThat(index.pinned()).isNotEmpty().hasSizeLessThanOrEqualTo(BitSlicedIndex.MAX_PINNED);
      assertThat(index.binLowerView()).contains(index.pinned().stream().mapToLong(Long::longValue).toArray());
    }
    assertBinsExact(index, values);
    assertRanges(index, values, random, "after pinning");

    // updates: new values (some above every value so far: new slices), removes, re-sets
    for (int u = 0; u < space / 5; u++) {
      int p = random.nextInt(space / step) * step;
      double r = random.nextDouble();
      if (r < 0.2) {
        index.remove(p);
        values.remove(p);
      } else {
        long v = r < 0.25 ? span + random.nextLong(4 * span + 1) : value(random, shape, span);
        index.set(p, v);
        values.put(p, v);
      }
    }
    assertBinsExact(index, values);
    assertRanges(index, values, random, "after updates");
    List<Long> pinned = index.pinned();
    index.rebin(bins);
    assertThat(index.binLowerView()).as("pinned bounds survive a rebin")
        .contains(pinned.stream().mapToLong(Long::longValue).toArray());
    assertBinsExact(index, values);
    assertRanges(index, values, random, "after a rebin");
    values.forEach((p, v) -> assertThat(index.get(p).getAsLong()).isEqualTo(v));
  }

  private static long value(SplittableRandom random, int shape, long span) {
    return switch (shape) {
      case 1 -> random.nextLong(span);
      case 3 -> (long) (Math.pow(random.nextDouble(), 6) * span);
      default -> random.nextLong(span);
    };
  }

  private static void assertBinsExact(BitSlicedIndex index, Map<Integer, Long> values) {
    long[] lower = index.binLowerView();
    assertThat(lower[0]).isZero();
    for (int k = 1; k < lower.length; k++) {
      assertThat(lower[k]).isGreaterThan(lower[k - 1]);
      assertThat(index.binView(k)).as("bin %d (>= %d)", k, lower[k]).isEqualTo(scan(values, lower[k], null, null));
    }
  }

  private static void assertRanges(BitSlicedIndex index, Map<Integer, Long> values, SplittableRandom random, String when) {
    long most = values.values().stream().mapToLong(Long::longValue).max().orElse(0);
    List<Long> bounds = new ArrayList<>();
    for (long b : index.binLowerView()) {
      bounds.add(b - 1);
      bounds.add(b);
      bounds.add(b + 1);
    }
    bounds.add(most);
    bounds.add(most + 1);
    bounds.add((1L << index.bitCount()) - 1);
    bounds.add(1L << index.bitCount());
    for (int i = 0; i < 10; i++) {
      bounds.add(random.nextLong(most + 2));
    }
    RoaringBitmap within = new RoaringBitmap();
    values.keySet().forEach(p -> {
      if (random.nextDouble() < 0.3) {
        within.add(p);
      }
    });
    for (int q = 0; q < 60; q++) {
      Long min = q % 9 == 0 ? null : bounds.get(random.nextInt(bounds.size()));
      Long max = q % 11 == 0 ? null : bounds.get(random.nextInt(bounds.size()));
      RoaringBitmap w = q % 2 == 0 ? null : within;
      RoaringBitmap expected = scan(values, min, max, w);
      assertThat(index.range(min, max, w)).as("%s: [%s, %s] with bins %s", when, min, max, index.binLowerView())
          .isEqualTo(expected);
      Conjunction c = new Conjunction();
      if (w != null) {
        c.and(w);
      }
      assertThat(c.andRange(index, min, max).count()).as("%s: count [%s, %s]", when, min, max)
          .isEqualTo(expected.getLongCardinality());
    }
  }

  private static RoaringBitmap scan(Map<Integer, Long> values, Long min, Long max, RoaringBitmap within) {
    RoaringBitmap out = new RoaringBitmap();
    values.forEach((p, v) -> {
      if ((min == null || v >= min) && (max == null || v <= max) && (within == null || within.contains(p))) {
        out.add(p);
      }
    });
    return out;
  }
}
