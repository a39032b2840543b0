package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.ledger.EarningImport;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Batched earning: chunks of postings in one transaction each, the same ledger as single postings. */
class EarningImportTest extends LoyaltyTestSupport {

  @Autowired EarningImport importer;

  @Test
  void a_batched_import_posts_each_earning_once_and_a_rerun_posts_only_what_is_missing() {
    String program = simpleProgram("within_balance");
    List<PersonRef> people = IntStream.range(0, 7).mapToObj(i -> newPerson()).toList();
    List<EarningImport.Earning> earnings = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      earnings.add(new EarningImport.Earning(people.get(i % people.size()), "row-" + i, 1 + i % 10, "migrated", clock.instant()));
    }
    EarningImport.Result first = importer.run(program, "legacy", earnings.subList(0, 2_000));
    assertThat(first).isEqualTo(new EarningImport.Result(2_000, 0));
    EarningImport.Result again = importer.run(program, "legacy", earnings);
    assertThat(again).isEqualTo(new EarningImport.Result(500, 2_000));

    long total = earnings.stream().mapToLong(EarningImport.Earning::points).sum();
    assertThat(people.stream().mapToLong(p -> balance(program, p).available()).sum()).isEqualTo(total);
    PersonRef someone = people.getFirst();
    long someonesShare = earnings.stream().filter(e -> e.person().equals(someone)).mapToLong(EarningImport.Earning::points).sum();
    assertThat(balance(program, someone).available()).isEqualTo(someonesShare);
    // imported lots are spent like any other
    assertThat(ledger.redeem(program, someone, new io.pond.loyalty.ledger.PointsLedger.Key("mall", "redemption", "r1"), someonesShare, "all", "test"))
        .isInstanceOf(io.pond.loyalty.ledger.PointsLedger.Outcome.Posted.class);
    assertThat(balance(program, someone).available()).isZero();
    assertNoDrift();
  }

  /**
   * More than two chunks, written two at a time, over the same new members (both chunks create and lock
   * the same accounts): every earning posted once, a business id given twice counted as replayed.
   */
  @Test
  void chunks_written_at_once_over_the_same_new_accounts_post_everything_once() {
    String program = simpleProgram("within_balance");
    List<PersonRef> people = IntStream.range(0, 40).mapToObj(i -> newPerson()).toList();
    List<EarningImport.Earning> earnings = new ArrayList<>();
    for (int i = 0; i < 12_500; i++) {
      earnings.add(new EarningImport.Earning(people.get(i % people.size()), "row-" + i, 1 + i % 7, "migrated", clock.instant()));
    }
    earnings.add(earnings.get(3));
    earnings.add(earnings.get(7_777));
    assertThat(importer.run(program, "legacy", earnings)).isEqualTo(new EarningImport.Result(12_500, 2));
    assertThat(importer.run(program, "legacy", earnings)).isEqualTo(new EarningImport.Result(0, 12_502));
    for (PersonRef p : people) {
      long share = earnings.subList(0, 12_500).stream().filter(e -> e.person().equals(p)).mapToLong(EarningImport.Earning::points).sum();
      assertThat(balance(program, p).available()).as("balance of %s", p).isEqualTo(share);
    }
    assertNoDrift();
  }
}
