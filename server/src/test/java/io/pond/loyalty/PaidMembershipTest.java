package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pond.loyalty.membership.Memberships;
import io.pond.loyalty.membership.PaidMemberships;
import io.pond.loyalty.membership.domain.PaidTerm;
import io.pond.platform.errors.PondException;
import io.pond.support.Http;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Paid membership (付费会员): a term, renewal from the current end, expiry by the clock. */
class PaidMembershipTest extends LoyaltyTestSupport {

  private static final String ADMIN = Http.basic("admin", "loyalty-admin-pw");

  @Autowired Memberships memberships;
  @Autowired PaidMemberships paid;

  private PersonRef joinedMember(String program) {
    return new PersonRef(
        memberships.join(new Memberships.Join(program, "wechat", "wx-app", MembershipJoinTest.uid("openid-"), null, MembershipJoinTest.phone(), null))
            .personId());
  }

  @Test
  void a_renewal_while_active_extends_from_the_current_end_not_from_today() {
    assertThat(PaidTerm.purchase(START.plus(Duration.ofDays(30)), START, 365))
        .isEqualTo(new PaidTerm.Period.Renewal(START.plus(Duration.ofDays(30)), START.plus(Duration.ofDays(395))));
    assertThat(PaidTerm.purchase(START.minusSeconds(1), START, 365)).isEqualTo(new PaidTerm.Period.Start(START, START.plus(Duration.ofDays(365))));
    assertThat(PaidTerm.purchase(null, START, 30)).isInstanceOf(PaidTerm.Period.Start.class);
  }

  @Test
  void a_paid_membership_is_bought_renewed_early_expires_by_the_clock_and_can_start_again() {
    String program = program(MembershipJoinTest.withJoinGift(1));
    PersonRef member = joinedMember(program);
    paid.savePlan(program, "black-card", "Black card", 365, 9_900);

    PaidMemberships.Purchase bought = paid.purchase(program, member, "black-card", "order-1", 9_900, "test");
    assertThat(bought.kind()).isEqualTo("START");
    assertThat(bought.endsAt()).isEqualTo(START.plus(Duration.ofDays(365)));
    assertThat(paid.purchase(program, member, "black-card", "order-1", 9_900, "test").replayed()).isTrue();

    clock.advance(Duration.ofDays(100));
    PaidMemberships.Purchase renewed = paid.purchase(program, member, "black-card", "order-2", 9_900, "test");
    assertThat(renewed.kind()).isEqualTo("RENEWAL");
    assertThat(renewed.endsAt()).isEqualTo(START.plus(Duration.ofDays(730)));
    assertThat(paid.memberships(program, member).getFirst().daysLeft()).isEqualTo(630);

    clock.advance(Duration.ofDays(629));
    assertThat(paid.expireDue()).isZero();
    clock.advance(Duration.ofDays(1));
    assertThat(paid.memberships(program, member).getFirst().active()).isFalse();
    assertThat(paid.expireDue()).isGreaterThanOrEqualTo(1);
    assertThat(events.stream(PaidMembershipExpired.class).filter(e -> e.program().equals(program)).toList())
        .singleElement()
        .satisfies(e -> assertThat(e.endedAt()).isEqualTo(START.plus(Duration.ofDays(730))));
    assertThat(paid.expireDue()).isZero();

    clock.advance(Duration.ofDays(10));
    Instant restart = clock.instant();
    PaidMemberships.Purchase again = paid.purchase(program, member, "black-card", "order-3", 9_900, "test");
    assertThat(again.kind()).isEqualTo("START");
    assertThat(again.periodFrom()).isEqualTo(restart);
    assertThat(events.stream(PaidMembershipStarted.class).filter(e -> e.program().equals(program)).count()).isEqualTo(2);
    assertThat(events.stream(PaidMembershipRenewed.class).filter(e -> e.program().equals(program)).count()).isEqualTo(1);
  }

  @Test
  void a_purchase_must_pay_the_plan_price_and_needs_a_member() {
    String program = program(MembershipJoinTest.withJoinGift(1));
    paid.savePlan(program, "monthly", null, 30, 1_500);
    PersonRef member = joinedMember(program);
    assertThatThrownBy(() -> paid.purchase(program, member, "monthly", "o-cheap", 100, "test"))
        .isInstanceOf(PondException.class)
        .hasMessageContaining("costs 1500 fen");
    assertThatThrownBy(() -> paid.purchase(program, newPerson(), "monthly", "o-x", 1_500, "test"))
        .isInstanceOf(PondException.class)
        .hasMessageContaining("has not joined");
  }

  @Test
  void plans_and_purchases_work_over_http() {
    Http http = new Http(port);
    String program = program(MembershipJoinTest.withJoinGift(1));
    PersonRef member = joinedMember(program);
    Http.Response plan =
        http.put("/api/v1/loyalty/programs/" + program + "/paid-plans/vip", ADMIN, "{\"name\":\"VIP\",\"termDays\":365,\"priceFen\":19900}");
    assertThat(plan.status()).as(plan.body()).isEqualTo(200);
    Http.Response bad = http.put("/api/v1/loyalty/programs/" + program + "/paid-plans/vip", ADMIN, "{\"termDays\":0,\"priceFen\":1}");
    assertThat(bad.status()).isEqualTo(400);
    Http.Response bought =
        http.post("/api/v1/loyalty/programs/" + program + "/members/" + member.value() + "/paid-memberships", ADMIN,
            "{\"plan\":\"vip\",\"businessId\":\"T-1\",\"paidFen\":19900}");
    assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    Http.Response state = http.get("/api/v1/loyalty/programs/" + program + "/members/" + member.value() + "/paid-memberships", ADMIN);
    assertThat(state.json().get(0).get("state").asString()).isEqualTo("ACTIVE");
    assertThat(state.json().get(0).get("daysLeft").asLong()).isEqualTo(365);
  }
}
