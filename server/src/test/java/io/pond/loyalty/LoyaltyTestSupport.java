package io.pond.loyalty;

import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.support.MutableClock;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/** One application context for every loyalty test (jobs run by hand, time moved by a mutable clock). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_ADMIN_PASSWORD=loyalty-admin-pw", "pond.loyalty.jobs.enabled=false"})
@Import(LoyaltyTestSupport.Clocks.class)
@RecordApplicationEvents
abstract class LoyaltyTestSupport {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final Instant START = Instant.parse("2026-03-02T02:00:00Z");
  private static final AtomicInteger PERSONS = new AtomicInteger(1000);

  @TestConfiguration(proxyBeanMethods = false)
  static class Clocks {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock(START, SHANGHAI);
    }
  }

  @Autowired MutableClock clock;
  @Autowired Programs programs;
  @Autowired PointsLedger ledger;
  @Autowired LedgerQueries queries;
  @Autowired OrderPoints orders;
  @Autowired LoyaltyJobs jobs;
  @Autowired ApplicationEvents events;
  @LocalServerPort int port;

  @BeforeEach
  void resetClock() {
    clock.set(START);
  }

  static PersonRef newPerson() {
    return new PersonRef(PERSONS.incrementAndGet());
  }

  static String uniqueCode() {
    return "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static ProgramConfig config(String refundPolicy, ProgramConfig.Expiry expiry, List<ProgramConfig.Tier> tiers, ProgramConfig.Qualification q) {
    return new ProgramConfig(
        tiers,
        q,
        new ProgramConfig.Earning(
            BigDecimal.ONE, BigDecimal.ONE, List.of(), List.of(), null, null,
            Map.of("sign_in", new ProgramConfig.EventReward(10L, 1), "review", new ProgramConfig.EventReward(50L, 0))),
        expiry,
        refundPolicy,
        true,
        7,
        30,
        15);
  }

  String program(ProgramConfig config) {
    String code = uniqueCode();
    programs.create(code, "test program", config, "test");
    return code;
  }

  String simpleProgram(String refundPolicy) {
    return program(config(refundPolicy, null, null, null));
  }

  OrderPoints.Result pay(String program, PersonRef person, String orderId, long fen) {
    return orders.paid(
        new OrderPoints.PaidOrder(program, person, "tmall", "flagship", orderId, List.of(new OrderPoints.Line("tea", fen)), clock.instant()));
  }

  OrderPoints.Result complete(String program, PersonRef person, String orderId) {
    return orders.completed(new OrderPoints.CompletedOrder(program, person, "tmall", "flagship", orderId, clock.instant()));
  }

  OrderPoints.Result refund(String program, PersonRef person, String orderId, String refundId, long fen) {
    return orders.refunded(
        new OrderPoints.RefundedOrder(program, person, "tmall", "flagship", orderId, refundId, fen, clock.instant()));
  }

  PointsLedger.Outcome signIn(String program, PersonRef person, String day) {
    return ledger.earnEvent(program, person, "sign_in", new PointsLedger.Key("mini_program", "sign_in", day), clock.instant());
  }

  PointsLedger.Outcome review(String program, PersonRef person, String reviewId) {
    return ledger.earnEvent(program, person, "review", new PointsLedger.Key("tmall", "review", reviewId), clock.instant());
  }

  LedgerQueries.Balance balance(String program, PersonRef person) {
    return queries.balance(program, person);
  }

  void assertNoDrift() {
    for (long id : queries.accountIds()) {
      org.assertj.core.api.Assertions.assertThat(queries.reconcile(id)).as("drift of account %d", id).isEmpty();
    }
  }
}
