package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.loyalty.redemption.Redemptions;
import io.pond.platform.errors.PondException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The ledger's rules on the real store, with time moved by the test clock. */
class PointsLedgerTest extends LoyaltyTestSupport {

  @Autowired Redemptions redemptions;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;

  @Test
  void order_points_stay_pending_until_the_order_completes_and_the_return_window_passes() {
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson();
    OrderPoints.Result paid = pay(program, member, "O1", 12_345);
    assertThat(paid.points()).isEqualTo(123);
    assertThat(balance(program, member).pending()).isEqualTo(123);
    assertThat(balance(program, member).available()).isZero();

    complete(program, member, "O1");
    clock.advance(Duration.ofDays(6));
    jobs.runAll();
    assertThat(balance(program, member).available()).isZero();

    clock.advance(Duration.ofDays(1));
    assertThat(jobs.runAll().activated()).isPositive();
    LedgerQueries.Balance after = balance(program, member);
    assertThat(after.available()).isEqualTo(123);
    assertThat(after.pending()).isZero();
    assertThat(events.stream(PointsActivated.class).filter(e -> e.person().equals(member))).hasSize(1);
    assertNoDrift();
  }

  @Test
  void replaying_an_order_or_a_refund_changes_nothing() {
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson();
    OrderPoints.Result first = pay(program, member, "O1", 10_000);
    OrderPoints.Result again = pay(program, member, "O1", 10_000);
    assertThat(again.replayed()).isTrue();
    assertThat(again.entryId()).isEqualTo(first.entryId());
    OrderPoints.Result refund = refund(program, member, "O1", "R1", 5_000);
    OrderPoints.Result refundAgain = refund(program, member, "O1", "R1", 5_000);
    assertThat(refundAgain.replayed()).isTrue();
    assertThat(refundAgain.entryId()).isEqualTo(refund.entryId());
    assertThat(balance(program, member).pending()).isEqualTo(50);
    assertThat(queries.entries(program, member, null, 50)).hasSize(2);
    assertNoDrift();
  }

  @Test
  void a_refund_after_redemption_under_only_pending_keeps_points_that_were_already_available() {
    String program = simpleProgram("only_pending");
    PersonRef member = newPerson();
    spendAfterRefundScenario(program, member);
    LedgerQueries.Balance b = balance(program, member);
    assertThat(b.available()).isEqualTo(30);
    assertThat(b.growth()).isZero();
  }

  @Test
  void a_refund_after_redemption_claws_back_within_balance_and_forgives_the_rest() {
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson();
    OrderPoints.Result refund = spendAfterRefundScenario(program, member);
    assertThat(refund.points()).isEqualTo(-30);
    assertThat(balance(program, member).available()).isZero();
    PointsClawedBack clawed = events.stream(PointsClawedBack.class).filter(e -> e.person().equals(member)).findFirst().orElseThrow();
    assertThat(clawed.forgiven()).isEqualTo(70);
    assertThat(clawed.growth()).isEqualTo(100);
  }

  @Test
  void a_refund_under_unlimited_leaves_a_negative_balance_that_new_points_pay_first() {
    String program = simpleProgram("unlimited");
    PersonRef member = newPerson();
    spendAfterRefundScenario(program, member);
    assertThat(balance(program, member).available()).isEqualTo(-70);
    review(program, member, "RV-2");
    assertThat(balance(program, member).available()).isEqualTo(-20);
    review(program, member, "RV-3");
    assertThat(balance(program, member).available()).isEqualTo(30);
    assertThat(ledger.redeem(program, member, new PointsLedger.Key("mall", "redemption", "X"), 31, "too much", "test"))
        .isInstanceOf(PointsLedger.Outcome.Rejected.class);
    assertNoDrift();
  }

  /** Earn 100 (available), earn 50 (review), spend 120, then refund the 100-point order in full. */
  private OrderPoints.Result spendAfterRefundScenario(String program, PersonRef member) {
    pay(program, member, "O1", 10_000);
    complete(program, member, "O1");
    clock.advance(Duration.ofDays(8));
    jobs.runAll();
    review(program, member, "RV-1");
    assertThat(balance(program, member).available()).isEqualTo(150);
    assertThat(ledger.redeem(program, member, new PointsLedger.Key("mall", "redemption", "R-" + member.value()), 120, "gift", "test"))
        .isInstanceOf(PointsLedger.Outcome.Posted.class);
    OrderPoints.Result refund = refund(program, member, "O1", "RF1", 10_000);
    assertNoDrift();
    return refund;
  }

  @Test
  void partial_refunds_take_back_points_in_proportion_without_rounding_drift() {
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson();
    pay(program, member, "O1", 9_999); // 99 points
    refund(program, member, "O1", "R1", 3_333);
    refund(program, member, "O1", "R2", 3_333);
    refund(program, member, "O1", "R3", 3_333);
    assertThat(balance(program, member).pending()).isZero();
    assertThat(balance(program, member).growth()).isZero();
    assertNoDrift();
  }

  @Test
  void redemption_takes_the_earliest_expiring_points_first_and_expiry_takes_the_rest() {
    String program = program(config("within_balance", new ProgramConfig.Expiry("rolling_days", 30), null, null));
    PersonRef member = newPerson();
    Instant day0 = clock.instant();
    review(program, member, "A"); // 50, expires day 30
    clock.advance(Duration.ofDays(10));
    review(program, member, "B"); // 50, expires day 40
    PointsLedger.Outcome spent = ledger.redeem(program, member, new PointsLedger.Key("mall", "redemption", "S1"), 70, "gift", "test");
    long entryId = ((PointsLedger.Outcome.Posted) spent).entryId();
    LedgerQueries.Entry redeem =
        queries.entries(program, member, null, 10).stream().filter(e -> e.id() == entryId).findFirst().orElseThrow();
    assertThat(redeem.allocations()).extracting(LedgerQueries.Allocation::points).containsExactly(50L, 20L);

    LedgerQueries.Balance soon = balance(program, member);
    assertThat(soon.expiringSoon()).containsExactly(new LedgerQueries.Expiring(LocalDate.ofInstant(day0.plus(Duration.ofDays(40)), SHANGHAI), 30));
    jobs.runAll();
    jobs.runAll();
    assertThat(events.stream(PointsExpiringSoon.class).filter(e -> e.person().equals(member)))
        .singleElement()
        .extracting(PointsExpiringSoon::points)
        .isEqualTo(30L);

    clock.set(day0.plus(Duration.ofDays(31)));
    jobs.runAll();
    assertThat(events.stream(PointsExpired.class).filter(e -> e.person().equals(member))).isEmpty(); // the first lot was spent
    clock.set(day0.plus(Duration.ofDays(41)));
    jobs.runAll();
    assertThat(balance(program, member).available()).isZero();
    assertThat(events.stream(PointsExpired.class).filter(e -> e.person().equals(member)).mapToLong(PointsExpired::points).sum()).isEqualTo(30);
    assertNoDrift();
  }

  @Test
  void end_of_year_expiry_uses_the_brand_timezone() {
    String program = program(config("within_balance", new ProgramConfig.Expiry("end_of_year", null), null, null));
    PersonRef member = newPerson();
    clock.set(Instant.parse("2026-12-31T16:30:00Z")); // already 2027-01-01 in Shanghai
    review(program, member, "NY");
    assertThat(balance(program, member).expiringSoon()).isEmpty();
    clock.set(Instant.parse("2027-12-31T15:59:59Z"));
    jobs.runAll();
    assertThat(balance(program, member).available()).isEqualTo(50);
    clock.set(Instant.parse("2027-12-31T16:00:00Z"));
    jobs.runAll();
    assertThat(balance(program, member).available()).isZero();
  }

  @Test
  void tiers_upgrade_at_once_and_go_down_one_step_per_yearly_review() {
    List<ProgramConfig.Tier> tiers =
        List.of(
            new ProgramConfig.Tier("L1", "Member", 0L, java.math.BigDecimal.ONE),
            new ProgramConfig.Tier("L2", "Silver", 1_000L, new java.math.BigDecimal("1.5")),
            new ProgramConfig.Tier("L3", "Gold", 5_000L, new java.math.BigDecimal("2")));
    String program =
        program(config("within_balance", null, tiers, new ProgramConfig.Qualification("growth", "calendar_year", null, "one_step", 0)));
    PersonRef member = newPerson();
    pay(program, member, "BIG", 600_000); // 6000 yuan: growth 6000 → L3 at once
    assertThat(balance(program, member).tier()).isEqualTo("L3");
    assertThat(events.stream(TierChanged.class).filter(e -> e.person().equals(member)).map(TierChanged::toTier)).containsExactly("L3");
    OrderPoints.Result boosted = pay(program, member, "NEXT", 10_000);
    assertThat(boosted.points()).isEqualTo(200); // 100 × L3 multiplier 2
    assertThat(boosted.explanation()).contains("tier L3 2");

    clock.set(Instant.parse("2027-01-05T00:00:00Z"));
    jobs.runAll();
    assertThat(balance(program, member).tier()).isEqualTo("L3"); // 2026 qualified
    LedgerQueries.Balance b = balance(program, member);
    assertThat(b.progress().toKeep()).isEqualTo(5_000);
    assertThat(b.progress().summary()).startsWith("5000 more growth to keep L3");
    assertThat(b.progress().projectedTier()).isEqualTo("L2");

    clock.set(Instant.parse("2029-02-01T00:00:00Z")); // two reviews missed: 2028-01-01 and 2029-01-01
    assertThat(jobs.runAll().tierReviews()).isGreaterThanOrEqualTo(2);
    assertThat(balance(program, member).tier()).isEqualTo("L1");
    assertThat(events.stream(TierChanged.class).filter(e -> e.person().equals(member)).map(e -> e.fromTier() + ">" + e.toTier()))
        .containsExactly("L1>L3", "L3>L2", "L2>L1");
    assertNoDrift();
  }

  @Test
  void a_refund_reverts_the_upgrade_it_paid_for() {
    List<ProgramConfig.Tier> tiers =
        List.of(
            new ProgramConfig.Tier("L1", "Member", 0L, java.math.BigDecimal.ONE),
            new ProgramConfig.Tier("L2", "Silver", 1_000L, java.math.BigDecimal.ONE));
    String program = program(config("within_balance", null, tiers, null));
    PersonRef member = newPerson();
    pay(program, member, "BIG", 150_000);
    assertThat(balance(program, member).tier()).isEqualTo("L2");
    refund(program, member, "BIG", "RF", 150_000);
    assertThat(balance(program, member).tier()).isEqualTo("L1");
    assertThat(events.stream(TierChanged.class).filter(e -> e.person().equals(member)).map(TierChanged::reason))
        .last()
        .asString()
        .startsWith("refund");
  }

  @Test
  void event_points_respect_their_daily_limit_in_local_days() {
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson();
    assertThat(signIn(program, member, "d1")).isInstanceOf(PointsLedger.Outcome.Posted.class);
    assertThat(signIn(program, member, "d1-again")).isInstanceOf(PointsLedger.Outcome.Rejected.class);
    clock.advance(Duration.ofDays(1));
    assertThat(signIn(program, member, "d2")).isInstanceOf(PointsLedger.Outcome.Posted.class);
    assertThat(balance(program, member).available()).isEqualTo(20);
  }

  @Test
  void a_points_plus_cash_reservation_holds_points_until_confirmed_cancelled_or_timed_out() {
    String program = simpleProgram("within_balance");
    PersonRef member = newPerson();
    for (int i = 0; i < 12; i++) {
      review(program, member, "RV" + i); // 600 points
    }
    Redemptions.Reservation r = redemptions.reserve(program, member, "CHK-1", 500, 990, null, 1, "test");
    assertThat(r.status()).isEqualTo("RESERVED");
    assertThat(r.cashFen()).isEqualTo(990);
    assertThat(balance(program, member).available()).isEqualTo(100);
    assertThat(redemptions.cancel(program, "CHK-1").status()).isEqualTo("CANCELLED");
    assertThat(balance(program, member).available()).isEqualTo(600);

    redemptions.reserve(program, member, "CHK-2", 500, 990, null, 1, "test");
    assertThat(redemptions.reserve(program, member, "CHK-2", 500, 990, null, 1, "test").replayed()).isTrue();
    assertThatThrownBy(() -> redemptions.reserve(program, member, "CHK-3", 500, 0, null, 1, "test"))
        .isInstanceOf(PondException.class)
        .hasMessageContaining("100 available");
    clock.advance(Duration.ofMinutes(16));
    assertThat(jobs.runAll().expiredReservations()).isPositive();
    assertThat(balance(program, member).available()).isEqualTo(600);
    assertThatThrownBy(() -> redemptions.confirm(program, "CHK-2")).isInstanceOf(PondException.class);

    redemptions.reserve(program, member, "CHK-4", 500, 990, null, 1, "test");
    assertThat(redemptions.confirm(program, "CHK-4").status()).isEqualTo("CONFIRMED");
    assertThat(balance(program, member).available()).isEqualTo(100);
    assertNoDrift();
  }

  /** The ledger's row tables have no foreign keys (V131): reconcile finds rows that point outside their account. */
  @Test
  void reconcile_finds_a_lot_or_an_allocation_that_points_outside_its_account() {
    String program = simpleProgram("within_balance");
    PersonRef one = newPerson();
    PersonRef two = newPerson();
    long oneEarned = ((PointsLedger.Outcome.Posted) review(program, one, "r1")).entryId();
    long twoEarned = ((PointsLedger.Outcome.Posted) review(program, two, "r2")).entryId();
    long redeemed = ((PointsLedger.Outcome.Posted) ledger.redeem(program, one, new PointsLedger.Key("mall", "redemption", "x1"), 10, "gift", "t")).entryId();
    assertNoDrift();
    long oneAccount = jdbc.sql("SELECT account_id FROM loyalty_entry WHERE id = ?").param(oneEarned).query(Long.class).single();
    // a lot re-pointed at another member's entry
    jdbc.sql("UPDATE loyalty_lot SET entry_id = ? WHERE entry_id = ?").params(twoEarned, oneEarned).update();
    assertThat(queries.reconcile(oneAccount))
        .extracting(LedgerQueries.Drift::what)
        .containsExactly("lots without their entry in the account");
    jdbc.sql("UPDATE loyalty_lot SET entry_id = ? WHERE entry_id = ? AND account_id = ?").params(oneEarned, twoEarned, oneAccount).update();
    assertNoDrift();
    // an allocation of the redemption moved to another member's lot
    long twoLot = jdbc.sql("SELECT id FROM loyalty_lot WHERE entry_id = ?").param(twoEarned).query(Long.class).single();
    jdbc.sql("UPDATE loyalty_allocation SET lot_id = ? WHERE entry_id = ?").params(twoLot, redeemed).update();
    assertThat(queries.reconcile(oneAccount)).extracting(LedgerQueries.Drift::what).contains("allocations of the account's entries without their lot in the account");
    long oneLot = jdbc.sql("SELECT id FROM loyalty_lot WHERE entry_id = ?").param(oneEarned).query(Long.class).single();
    jdbc.sql("UPDATE loyalty_allocation SET lot_id = ? WHERE entry_id = ?").params(oneLot, redeemed).update();
    assertNoDrift();
  }
}
