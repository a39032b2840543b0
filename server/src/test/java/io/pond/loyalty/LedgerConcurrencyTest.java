package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.redemption.Redemptions;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Many threads against one account or one item: the account lock and the stock update hold. */
class LedgerConcurrencyTest extends LoyaltyTestSupport {

  @Autowired Redemptions redemptions;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

  private static void runAll(int threads, List<Callable<Void>> work) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Void>> futures = new ArrayList<>();
      for (Callable<Void> w : work) {
        futures.add(pool.submit(w));
      }
      for (Future<Void> f : futures) {
        f.get();
      }
    }
  }

  @Test
  void parallel_redemptions_on_one_account_never_overspend() throws Exception {
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson();
    for (int i = 0; i < 20; i++) {
      review(program, member, "seed-" + i); // 1000 points in 20 lots
    }
    AtomicLong spent = new AtomicLong();
    AtomicInteger refused = new AtomicInteger();
    List<Callable<Void>> work = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      int thread = t;
      work.add(
          () -> {
            for (int i = 0; i < 15; i++) {
              PointsLedger.Outcome o =
                  ledger.redeem(program, member, new PointsLedger.Key("mall", "redemption", thread + "-" + i), 7, "race", "test");
              if (o instanceof PointsLedger.Outcome.Posted p) {
                spent.addAndGet(-p.points());
              } else {
                refused.incrementAndGet();
              }
            }
            return null;
          });
    }
    runAll(12, work);
    assertThat(spent.get()).isLessThanOrEqualTo(1000).isEqualTo(7L * (180 - refused.get()));
    assertThat(refused.get()).isEqualTo(180 - 1000 / 7); // every attempt that fitted succeeded
    assertThat(balance(program, member).available()).isEqualTo(1000 - spent.get());
    assertNoDrift();
  }

  /** Issue #6, item 9: a group commit publishes its points events as one batch; other modules still see each. */
  @Test
  void postings_combined_in_group_commits_each_reach_the_timeline_once() throws Exception {
    String program = simpleProgram("within_balance");
    List<PersonRef> members = List.of(newPerson(), newPerson(), newPerson());
    for (PersonRef m : members) {
      review(program, m, "seed");
    }
    List<Callable<Void>> work = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      int thread = t;
      work.add(
          () -> {
            for (int i = 0; i < 10; i++) {
              PersonRef m = members.get((thread + i) % members.size());
              assertThat(review(program, m, thread + "-" + i)).isInstanceOf(PointsLedger.Outcome.Posted.class);
              assertThat(ledger.redeem(program, m, new PointsLedger.Key("mall", "redemption", thread + "-" + i), 1, "race", "test"))
                  .isInstanceOf(PointsLedger.Outcome.Posted.class);
            }
            return null;
          });
    }
    runAll(12, work);
    long expected = members.size() + 12 * 10 * 2;
    long deadline = System.nanoTime() + 60_000_000_000L;
    long listed = 0;
    while (System.nanoTime() < deadline) {
      listed =
          jdbc.sql("SELECT COUNT(DISTINCT idem_key) FROM profile_points WHERE program = ? AND kind IN ('earned', 'redeemed')")
              .param(program)
              .query(Long.class)
              .single();
      if (listed >= expected) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(listed).isEqualTo(expected);
    long rows = jdbc.sql("SELECT COUNT(*) FROM profile_points WHERE program = ?").param(program).query(Long.class).single();
    assertThat(rows).isEqualTo(expected);
    assertNoDrift();
  }

  @Test
  void parallel_replays_of_the_same_order_post_it_once() throws Exception {
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson(); // the account does not exist yet: creation races too
    List<Callable<Void>> work = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      work.add(
          () -> {
            pay(program, member, "SAME", 10_000);
            return null;
          });
    }
    runAll(8, work);
    assertThat(balance(program, member).pending()).isEqualTo(100);
    assertThat(queries.entries(program, member, null, 50)).hasSize(1);
  }

  @Test
  void a_points_mall_item_is_never_oversold() throws Exception {
    String program = simpleProgram("within_balance");
    redemptions.createItem(program, "MUG", "Tea mug", 50, 990, 5);
    List<PersonRef> members = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      PersonRef m = newPerson();
      review(program, m, "seed");
      members.add(m);
    }
    AtomicInteger sold = new AtomicInteger();
    AtomicInteger outOfStock = new AtomicInteger();
    List<Callable<Void>> work = new ArrayList<>();
    for (PersonRef m : members) {
      work.add(
          () -> {
            try {
              redemptions.reserve(program, m, "buy-" + m.value(), 0, 0, "MUG", 1, "test");
              sold.incrementAndGet();
            } catch (PondException e) {
              assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_STOCK);
              outOfStock.incrementAndGet();
            }
            return null;
          });
    }
    runAll(8, work);
    assertThat(sold.get()).isEqualTo(5);
    assertThat(outOfStock.get()).isEqualTo(11);
    assertThat(redemptions.items(program).getFirst().stock()).isZero();
    long stillHolding = members.stream().filter(m -> balance(program, m).available() == 50).count();
    assertThat(stillHolding).isEqualTo(11); // refused buyers kept their points
    assertNoDrift();
  }
}
