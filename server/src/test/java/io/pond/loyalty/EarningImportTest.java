package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.ledger.EarningImport;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.program.domain.ProgramConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Batched earning: chunks of postings in one transaction each, the same ledger as single postings. */
class EarningImportTest extends LoyaltyTestSupport {

  @Autowired EarningImport importer;
  @Autowired JdbcClient jdbc;

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
   * Several chunks written at once: the postings are grouped by member, so an ordinary member's account
   * is updated once (one change record for the whole import); a member with more postings than two
   * chunks hold spans chunks that lock the same account. Every earning posted once, a business id given
   * twice counted as replayed.
   */
  @Test
  void chunks_written_at_once_post_everything_once_and_touch_an_ordinary_account_once() {
    String program = simpleProgram("within_balance");
    List<PersonRef> people = IntStream.range(0, 40).mapToObj(i -> newPerson()).toList();
    PersonRef whale = people.getLast();
    List<EarningImport.Earning> earnings = new ArrayList<>();
    for (int i = 0; i < 12_500; i++) {
      earnings.add(new EarningImport.Earning(people.get(i % (people.size() - 1)), "row-" + i, 1 + i % 7, "migrated", clock.instant()));
      earnings.add(new EarningImport.Earning(whale, "whale-" + i, 1 + i % 5, "migrated", clock.instant()));
    }
    earnings.add(earnings.get(3));
    earnings.add(earnings.get(7_777));
    assertThat(importer.run(program, "legacy", earnings)).isEqualTo(new EarningImport.Result(25_000, 2));
    assertThat(importer.run(program, "legacy", earnings)).isEqualTo(new EarningImport.Result(0, 25_002));
    for (PersonRef p : people) {
      long share = earnings.subList(0, 25_000).stream().filter(e -> e.person().equals(p)).mapToLong(EarningImport.Earning::points).sum();
      assertThat(balance(program, p).available()).as("balance of %s", p).isEqualTo(share);
    }
    PersonRef ordinary = people.getFirst();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM loyalty_account_change c JOIN loyalty_account a ON a.id = c.account_id"
            + " JOIN loyalty_program p ON p.id = a.program_id WHERE p.code = ? AND a.person_id = ?")
        .params(program, ordinary.value()).query(Long.class).single())
        .as("change records of a member with %d postings", 12_500 / (people.size() - 1))
        .isEqualTo(1);
    assertNoDrift();
  }

  /**
   * A posting reuses the lots its account's last posting left (PostgreSQL, {@code CachedLots}) only while
   * nothing else changed them: an import between two redemptions gives the member a lot that expires
   * sooner, and the second redemption takes it first.
   */
  @Test
  void a_redemption_after_an_import_takes_the_imported_lot_that_expires_first() {
    String program = program(config("within_balance", new ProgramConfig.Expiry("rolling_days", 30), null, null));
    PersonRef member = newPerson();
    assertThat(review(program, member, "rv1")).isInstanceOf(PointsLedger.Outcome.Posted.class); // 50, expires in 30 days
    assertThat(ledger.redeem(program, member, new PointsLedger.Key("mall", "redemption", "first"), 5, "gift", "test"))
        .isInstanceOf(PointsLedger.Outcome.Posted.class);
    // earned 10 days ago: expires in 20 days
    List<EarningImport.Earning> older = List.of(new EarningImport.Earning(member, "old-1", 100, "migrated", clock.instant().minus(Duration.ofDays(10))));
    assertThat(importer.run(program, "legacy", older)).isEqualTo(new EarningImport.Result(1, 0));
    assertThat(ledger.redeem(program, member, new PointsLedger.Key("mall", "redemption", "second"), 7, "gift", "test"))
        .isInstanceOf(PointsLedger.Outcome.Posted.class);

    assertThat(lotRemaining(program, member, "legacy")).as("the imported lot, which expires first").isEqualTo(93);
    assertThat(lotRemaining(program, member, "tmall")).as("the review's lot").isEqualTo(45);
    assertNoDrift();
  }

  /** The remaining points of the member's one lot earned from {@code source}. */
  private long lotRemaining(String program, PersonRef member, String source) {
    return jdbc.sql("SELECT l.remaining FROM loyalty_lot l JOIN loyalty_entry e ON e.id = l.entry_id JOIN loyalty_account a ON a.id = l.account_id"
            + " JOIN loyalty_program p ON p.id = a.program_id WHERE p.code = ? AND a.person_id = ? AND e.source = ?")
        .params(program, member.value(), source)
        .query(Long.class)
        .single();
  }
}
