package io.pond.loyalty.ledger.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The ledger's kept, ordered lots: inserting keeps the order, and taking from them equals sorting first. */
class LotsProperties {

  private static final Instant DAY0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Gen<List<Lots.Balance>> lots() {
    Gen<Lots.Balance> lot =
        integers().between(1, 10_000).zip(longs().between(1, 500), integers().between(-1, 20),
            (id, remaining, day) -> new Lots.Balance(id, remaining, day < 0 ? null : DAY0.plusSeconds(86_400L * day)));
    return lists().of(lot).ofSizeBetween(0, 40).map(l -> {
      // lot ids are unique
      List<Lots.Balance> unique = new ArrayList<>();
      l.stream().filter(b -> unique.stream().noneMatch(u -> u.lotId() == b.lotId())).forEach(unique::add);
      return unique;
    });
  }

  @Test
  void inserted_lots_stay_in_redemption_order_and_taking_from_them_equals_taking_after_a_sort() {
    qt().withExamples(500)
        .forAll(lots(), longs().between(0, 5_000))
        .checkAssert(
            (lots, points) -> {
              List<Lots.Balance> kept = new ArrayList<>();
              lots.forEach(l -> Lots.insertOrdered(kept, l));
              List<Lots.Balance> sorted = new ArrayList<>(lots);
              sorted.sort(Lots.EARLIEST_EXPIRY_FIRST);
              assertThat(kept).containsExactlyElementsOf(sorted);
              List<Lots.Allocation> taken = Lots.takeOrdered(kept, points);
              assertThat(taken).isEqualTo(Lots.take(lots, points));
              long held = lots.stream().mapToLong(Lots.Balance::remaining).sum();
              assertThat(Lots.sum(taken)).isEqualTo(Math.min(points, held));
            });
  }
}
