package io.pond.segment.index.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;
import org.roaringbitmap.RoaringBitmap;

/** The bit-sliced index and the daily counts answer exactly what a scan of the raw values answers. */
class BitmapIndexProperties {

  @Test
  void a_range_on_the_bit_sliced_index_equals_a_scan_of_the_values() {
    qt().withExamples(300)
        .forAll(
            lists().of(integers().between(1, 300).zip(longs().between(0, 5000), (p, v) -> new long[] {p, v})).ofSizeBetween(0, 200),
            longs().between(-5, 6000), longs().between(-5, 6000), integers().between(0, 3))
        .checkAssert((writes, a, b, within) -> {
          BitSlicedIndex index = new BitSlicedIndex();
          Map<Integer, Long> values = new HashMap<>();
          for (long[] w : writes) {
            if (w[1] % 17 == 0) { // now and then a value is removed
              index.remove((int) w[0]);
              values.remove((int) w[0]);
            } else {
              index.set((int) w[0], w[1]);
              values.put((int) w[0], w[1]);
            }
          }
          Long min = a % 3 == 0 ? null : a;
          Long max = b % 5 == 0 ? null : b;
          RoaringBitmap found = within == 0 ? null : RoaringBitmap.bitmapOfRange(1, 100L * within);
          RoaringBitmap expected = new RoaringBitmap();
          values.forEach((p, v) -> {
            if ((min == null || v >= min) && (max == null || v <= max) && (found == null || found.contains(p))) {
              expected.add(p);
            }
          });
          assertThat(index.range(min, max, found)).as("range [%s, %s] within %s", min, max, found).isEqualTo(expected);
          values.forEach((p, v) -> assertThat(index.get(p).getAsLong()).isEqualTo(v));
        });
  }

  @Test
  void the_bulk_builder_gives_the_same_index_as_one_value_at_a_time() {
    BitSlicedIndex.Builder builder = new BitSlicedIndex.Builder();
    BitSlicedIndex single = new BitSlicedIndex();
    for (int p = 1; p < 5000; p += 3) {
      long v = (p * 7919L) % 100_000;
      builder.add(p, v);
      single.set(p, v);
    }
    BitSlicedIndex bulk = builder.build();
    assertThat(bulk.range(20_000L, 60_000L)).isEqualTo(single.range(20_000L, 60_000L)).isNotEmpty();
    assertThat(bulk.get(4).getAsLong()).isEqualTo(single.get(4).getAsLong());
  }

  @Test
  void at_least_n_times_in_a_window_equals_counting_the_occurrences() {
    qt().withExamples(300)
        .forAll(
            lists().of(integers().between(1, 40).zip(integers().between(0, 20), integers().between(1, 3),
                (p, d, t) -> new int[] {p, d, t})).ofSizeBetween(0, 150),
            integers().between(1, 6),
            integers().between(0, 20).zip(integers().between(0, 20), (x, y) -> new int[] {Math.min(x, y), Math.max(x, y)}),
            Generate.booleans())
        .checkAssert((adds, times, window, twoKeys) -> {
          int from = window[0];
          int to = window[1];
          DailyCounts one = new DailyCounts();
          DailyCounts other = new DailyCounts();
          Map<Integer, Integer> counted = new HashMap<>();
          for (int i = 0; i < adds.size(); i++) {
            int[] a = adds.get(i);
            (twoKeys && i % 2 == 1 ? other : one).add(a[0], a[1], a[2]);
            if (a[1] >= from && a[1] <= to) {
              counted.merge(a[0], a[2], Integer::sum);
            }
          }
          RoaringBitmap expected = new RoaringBitmap();
          counted.forEach((p, c) -> {
            if (c >= times) {
              expected.add(p);
            }
          });
          RoaringBitmap actual = twoKeys ? DailyCounts.atLeast(List.of(one, other), times, from, to) : one.atLeast(times, from, to);
          assertThat(actual).as("at least %d on days %d-%d", times, from, to).isEqualTo(expected);
        });
  }
}
