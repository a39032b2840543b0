package io.pond.ingest.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The dedup set against a HashSet: adds, adds-if-absent and removals (the rollback of a failed commit). */
class LongHashSetTest {

  @Test
  void behavesAsASet() {
    Random r = new Random(3);
    LongHashSet set = new LongHashSet(4);
    Set<Long> expected = new HashSet<>();
    for (int n = 0; n < 200_000; n++) {
      // a small range of values makes long probe runs, where removal must shift entries back
      long v = r.nextInt(3) == 0 ? r.nextInt(5000) : r.nextLong();
      switch (r.nextInt(4)) {
        case 0, 1 -> assertThat(set.addIfAbsent(v)).isEqualTo(expected.add(v));
        case 2 -> {
          set.remove(v);
          expected.remove(v);
        }
        default -> assertThat(set.contains(v)).isEqualTo(expected.contains(v));
      }
    }
    assertThat(set.size()).isEqualTo(expected.size());
    for (long v : expected) {
      assertThat(set.contains(v)).isTrue();
    }
    Set<Long> all = new HashSet<>();
    set.forEach(all::add);
    assertThat(all).isEqualTo(expected);
  }
}
