package io.pond.segment.index.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The one-pass AND (bitmaps, negated bitmaps, bit-sliced ranges restricted to the found set) counts and
 * finds exactly what a person-by-person check of the raw values finds, on random data of every shape:
 * sparse and dense containers, runs, persons spread over enough containers to be split across threads,
 * bounds inside, below and above the stored values.
 */
class ConjunctionProperties {

  @Test
  void a_conjunction_equals_a_brute_force_check_of_every_person() {
    qt().withExamples(15)
        .forAll(longs().all(), integers().between(1, 3), longs().between(-3, 1 << 13), longs().between(-3, 1 << 13))
        .checkAssert((seed, shape, a, b) -> check(seed, shape, a, b));
  }

  @Test
  void a_wide_range_of_values_and_open_bounds() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 15; i++) {
      check(random.nextLong(), 1 + i % 3, i % 4 == 0 ? -1 : random.nextLong(1L << 20), i % 5 == 0 ? -1 : random.nextLong(1L << 21));
    }
  }

  @Test
  void at_least_n_of_many_bitmaps_equals_counting_each_person() {
    SplittableRandom random = new SplittableRandom(11);
    for (int round = 0; round < 8; round++) {
      int space = round % 3 == 0 ? 100_000 : 2_500_000; // one or two splits, or many containers
      java.util.List<RoaringBitmap> units = new java.util.ArrayList<>();
      Map<Integer, Integer> counted = new HashMap<>();
      int n = 1 + random.nextInt(12);
      for (int u = 0; u < n; u++) {
        RoaringBitmap b = new RoaringBitmap();
        double density = random.nextDouble() < 0.5 ? 0.002 : 0.2;
        for (int p = random.nextInt(50); p < space; p += 1 + random.nextInt((int) (2 / density))) {
          b.add(p);
          counted.merge(p, 1, Integer::sum);
        }
        if (u % 4 == 3) {
          b.runOptimize();
        }
        units.add(b);
      }
      int times = 1 + random.nextInt(4);
      RoaringBitmap expected = new RoaringBitmap();
      counted.forEach((p, c) -> {
        if (c >= times) {
          expected.add(p);
        }
      });
      assertThat(Conjunction.atLeast(units, times)).as("round %d: %d of %d", round, times, n).isEqualTo(expected);
    }
  }

  private static void check(long seed, int shape, long a, long b) {
    SplittableRandom random = new SplittableRandom(seed);
    // shape 1: few persons in a small space (array containers); 2: dense (bitmap containers);
    // 3: many containers (the parallel split) with runs
    int space = shape == 1 ? 200_000 : shape == 2 ? 150_000 : 2_200_000; // 2.2M: 34 containers, split
    double density = shape == 1 ? 0.01 : shape == 2 ? 0.6 : 0.15;
    RoaringBitmap p1 = new RoaringBitmap();
    RoaringBitmap p2 = new RoaringBitmap();
    RoaringBitmap n1 = new RoaringBitmap();
    BitSlicedIndex m1 = new BitSlicedIndex();
    BitSlicedIndex.Builder m2 = new BitSlicedIndex.Builder();
    Map<Integer, Long> v1 = new HashMap<>();
    Map<Integer, Long> v2 = new HashMap<>();
    long maxValue = 1L << (1 + random.nextInt(20));
    int step = shape == 3 ? 13 : 1;
    for (int p = 0; p < space; p += step) {
      if (random.nextDouble() < density) {
        p1.add(p);
      }
      if (random.nextDouble() < 0.7) {
        p2.add(p);
      }
      if (random.nextDouble() < density / 2) {
        n1.add(p);
      }
      if (random.nextDouble() < 0.8) {
        long v = random.nextLong(maxValue);
        m1.set(p, v);
        v1.put(p, v);
      }
      if (random.nextDouble() < 0.5) {
        long v = random.nextLong(maxValue);
        m2.add(p, v);
        v2.put(p, v);
      }
    }
    if (shape == 3) {
      p2.add(1_000_000L, 1_400_000L); // a run container
      p2.runOptimize();
    }
    BitSlicedIndex m2i = m2.build();
    Long min = a < 0 ? null : a;
    Long max = b < 0 ? null : b;
    Long min2 = min == null ? null : min / 2;

    RoaringBitmap expected = new RoaringBitmap();
    p1.forEach((int p) -> {
      Long x = v1.get(p);
      Long y = v2.get(p);
      boolean in = p2.contains(p) && !n1.contains(p)
          && x != null && (min == null || x >= min) && (max == null || x <= max)
          && y != null && (min2 == null || y >= min2);
      if (in) {
        expected.add(p);
      }
    });
    RoaringBitmap p1Before = p1.clone();
    RoaringBitmap slice0Before = m1.slicesView().length == 0 ? new RoaringBitmap() : m1.slicesView()[0].clone();
    Conjunction c = new Conjunction().and(p1).and(p2).andNot(n1).andRange(m1, min, max).andRange(m2i, min2, null);
    RoaringBitmap found = c.bitmap();
    assertThat(found).as("seed %d shape %d [%s, %s]", seed, shape, min, max).isEqualTo(expected);
    assertThat(c.count()).isEqualTo(expected.getLongCardinality());
    assertThat(found.validate()).isTrue();

    // a range alone: every person with a value in it
    RoaringBitmap alone = new RoaringBitmap();
    v1.forEach((p, x) -> {
      if ((min == null || x >= min) && (max == null || x <= max)) {
        alone.add(p);
      }
    });
    assertThat(new Conjunction().andRange(m1, min, max).bitmap()).isEqualTo(alone);
    assertThat(new Conjunction().andRange(m1, min, max).count()).isEqualTo(alone.getLongCardinality());
    // the operands are read, never changed
    assertThat(p1).isEqualTo(p1Before);
    if (m1.slicesView().length > 0) {
      assertThat(m1.slicesView()[0]).isEqualTo(slice0Before);
    }
    assertThat(m1.range(null, null)).isEqualTo(m1.existence());
  }
}
