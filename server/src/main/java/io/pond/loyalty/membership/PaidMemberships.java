package io.pond.loyalty.membership;

import io.pond.loyalty.PaidMembershipExpired;
import io.pond.loyalty.PaidMembershipRenewed;
import io.pond.loyalty.PaidMembershipStarted;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.membership.domain.PaidTerm;
import io.pond.loyalty.program.Programs;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Paid membership (付费会员): plans with a term in days and a price in fen; a purchase starts a
 * period, or — while the membership is still active — renews it from its current end ({@link
 * PaidTerm}). Purchases are idempotent on their business id (the order that paid). Expiry is a job
 * that compares the injected clock with the end. Only members (joined) can buy.
 */
@Component
public class PaidMemberships {

  private static final Logger log = LoggerFactory.getLogger(PaidMemberships.class);

  private final JdbcClient jdbc;
  private final Programs programs;
  private final PointsLedger ledger;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate tx;

  PaidMemberships(
      JdbcClient jdbc, Programs programs, PointsLedger ledger, Clock clock, ApplicationEventPublisher events, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.programs = programs;
    this.ledger = ledger;
    this.clock = clock;
    this.events = events;
    this.tx = new TransactionTemplate(transactions);
  }

  public record Plan(long id, String code, String name, int termDays, long priceFen) {}

  /** A membership as of now: {@code active} compares the end with the clock, even before the expiry job ran. */
  public record Membership(String plan, String state, boolean active, Instant startedAt, Instant endsAt, long daysLeft) {}

  /** What one purchase did; {@code replayed} when its business id had been seen already. */
  public record Purchase(String plan, String kind, Instant periodFrom, Instant periodTo, Instant endsAt, boolean replayed) {}

  public Plan savePlan(String programCode, String code, String name, int termDays, long priceFen) {
    if (code == null || !code.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw PondException.invalid("code", "1-64 letters, digits, '_', '.', '-'");
    }
    if (termDays <= 0 || termDays > 3660) {
      throw PondException.invalid("termDays", "must be 1-3660 days");
    }
    if (priceFen < 0) {
      throw PondException.invalid("priceFen", "must not be negative");
    }
    Programs.Program program = programs.get(programCode);
    Timestamp now = Timestamp.from(clock.instant());
    String title = name == null || name.isBlank() ? code : name;
    tx.executeWithoutResult(
        s -> {
          int updated =
              jdbc.sql("UPDATE loyalty_paid_plan SET name = ?, term_days = ?, price_fen = ?, updated_at = ? WHERE program_id = ? AND code = ?")
                  .params(title, termDays, priceFen, now, program.id(), code)
                  .update();
          if (updated == 0) {
            jdbc.sql(
                    "INSERT INTO loyalty_paid_plan (program_id, code, name, term_days, price_fen, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(program.id(), code, title, termDays, priceFen, now, now)
                .update();
          }
        });
    return plan(program.id(), code).orElseThrow();
  }

  public List<Plan> plans(String programCode) {
    return jdbc.sql("SELECT id, code, name, term_days, price_fen FROM loyalty_paid_plan WHERE program_id = ? ORDER BY code")
        .param(programs.get(programCode).id())
        .query((rs, n) -> new Plan(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5)))
        .list();
  }

  private Optional<Plan> plan(long programId, String code) {
    return jdbc.sql("SELECT id, code, name, term_days, price_fen FROM loyalty_paid_plan WHERE program_id = ? AND code = ?")
        .params(programId, code)
        .query((rs, n) -> new Plan(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5)))
        .optional();
  }

  /** Buys one term of {@code planCode}; {@code paidFen} must be the plan's price. */
  public Purchase purchase(String programCode, PersonRef person, String planCode, String businessId, long paidFen, String actor) {
    if (businessId == null || businessId.isBlank() || businessId.length() > 200) {
      throw PondException.invalid("businessId", "must be 1-200 characters");
    }
    Programs.Program program = programs.get(programCode);
    Plan plan = plan(program.id(), planCode).orElseThrow(() -> new PondException(ErrorCode.NOT_FOUND, "no paid plan " + planCode, "plan"));
    boolean member =
        jdbc.sql("SELECT COUNT(*) FROM loyalty_member WHERE program_id = ? AND person_id = ?").params(program.id(), person.value()).query(Long.class).single() > 0;
    if (!member) {
      throw new PondException(ErrorCode.NOT_FOUND, "person " + person.value() + " has not joined program " + programCode, "personId");
    }
    return ledger.withAccount(program.code(), person, true, locked -> purchaseLocked(program, person, plan, businessId, paidFen, actor, locked.now()));
  }

  private Purchase purchaseLocked(Programs.Program program, PersonRef person, Plan plan, String businessId, long paidFen, String actor, Instant now) {
    Optional<Purchase> replay =
        jdbc.sql(
                "SELECT p.code, u.kind, u.period_from, u.period_to, m.ends_at, m.person_id FROM loyalty_paid_purchase u"
                    + " JOIN loyalty_paid_membership m ON m.id = u.membership_id JOIN loyalty_paid_plan p ON p.id = m.plan_id"
                    + " WHERE u.program_id = ? AND u.business_id = ?")
            .params(program.id(), businessId)
            .query(
                (rs, n) -> {
                  if (rs.getInt(6) != person.value()) {
                    throw new PondException(ErrorCode.CONFLICT, "purchase " + businessId + " is recorded for another member", "businessId");
                  }
                  return new Purchase(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(),
                      rs.getTimestamp(5).toInstant(), true);
                })
            .optional();
    if (replay.isPresent()) {
      return replay.get();
    }
    if (paidFen != plan.priceFen()) {
      throw PondException.invalid("paidFen", "plan " + plan.code() + " costs " + plan.priceFen() + " fen, " + paidFen + " were paid");
    }
    record Row(long id, String state, Instant endsAt) {}
    Optional<Row> row =
        jdbc.sql("SELECT id, state, ends_at FROM loyalty_paid_membership WHERE program_id = ? AND person_id = ? AND plan_id = ? FOR UPDATE")
            .params(program.id(), person.value(), plan.id())
            .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
            .optional();
    Instant currentEnd = row.filter(r -> r.state().equals("ACTIVE")).map(Row::endsAt).orElse(null);
    PaidTerm.Period period = PaidTerm.purchase(currentEnd, now, plan.termDays());
    long membershipId;
    if (row.isEmpty()) {
      org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
      jdbc.sql(
              "INSERT INTO loyalty_paid_membership (program_id, person_id, plan_id, state, started_at, ends_at, updated_at)"
                  + " VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?)")
          .params(program.id(), person.value(), plan.id(), Timestamp.from(period.from()), Timestamp.from(period.to()), Timestamp.from(now))
          .update(keys, "id");
      membershipId = keys.getKeyAs(Long.class);
    } else {
      membershipId = row.get().id();
      if (period instanceof PaidTerm.Period.Start && row.get().state().equals("ACTIVE")) {
        // ended, but the expiry job has not run yet: record the expiry first so that every period ends with its event
        expireLocked(program.code(), person, plan.code(), membershipId, row.get().endsAt(), now);
      }
      if (period instanceof PaidTerm.Period.Start) {
        jdbc.sql("UPDATE loyalty_paid_membership SET state = 'ACTIVE', started_at = ?, ends_at = ?, updated_at = ? WHERE id = ?")
            .params(Timestamp.from(period.from()), Timestamp.from(period.to()), Timestamp.from(now), membershipId)
            .update();
      } else {
        jdbc.sql("UPDATE loyalty_paid_membership SET ends_at = ?, updated_at = ? WHERE id = ?")
            .params(Timestamp.from(period.to()), Timestamp.from(now), membershipId)
            .update();
      }
    }
    String kind = period instanceof PaidTerm.Period.Start ? "START" : "RENEWAL";
    jdbc.sql(
            "INSERT INTO loyalty_paid_purchase (program_id, membership_id, business_id, kind, paid_fen, period_from, period_to, actor, at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(program.id(), membershipId, businessId, kind, paidFen, Timestamp.from(period.from()), Timestamp.from(period.to()), actor, Timestamp.from(now))
        .update();
    switch (period) {
      case PaidTerm.Period.Start s ->
          events.publishEvent(new PaidMembershipStarted(program.code(), person, plan.code(), s.from(), s.to(), businessId, paidFen));
      case PaidTerm.Period.Renewal r ->
          events.publishEvent(new PaidMembershipRenewed(program.code(), person, plan.code(), r.from(), r.to(), businessId, paidFen, now));
    }
    return new Purchase(plan.code(), kind, period.from(), period.to(), period.to(), false);
  }

  private void expireLocked(String program, PersonRef person, String plan, long membershipId, Instant endedAt, Instant now) {
    jdbc.sql("UPDATE loyalty_paid_membership SET state = 'EXPIRED', updated_at = ? WHERE id = ? AND state = 'ACTIVE'")
        .params(Timestamp.from(now), membershipId)
        .update();
    events.publishEvent(new PaidMembershipExpired(program, person, plan, endedAt, now));
  }

  /** Expires every active membership whose end has passed; returns how many. */
  public int expireDue() {
    Instant now = clock.instant();
    record Due(long id, long programId, int personId) {}
    List<Due> due =
        jdbc.sql("SELECT id, program_id, person_id FROM loyalty_paid_membership WHERE state = 'ACTIVE' AND ends_at <= ? ORDER BY id")
            .param(Timestamp.from(now))
            .query((rs, n) -> new Due(rs.getLong(1), rs.getLong(2), rs.getInt(3)))
            .list();
    int expired = 0;
    for (Due d : due) {
      Programs.Program program = programs.byId(d.programId());
      PersonRef person = new PersonRef(d.personId());
      expired +=
          ledger.withAccount(
              program.code(),
              person,
              true,
              locked -> {
                record Current(String state, Instant endsAt, String plan) {}
                Current c =
                    jdbc.sql(
                            "SELECT m.state, m.ends_at, p.code FROM loyalty_paid_membership m JOIN loyalty_paid_plan p ON p.id = m.plan_id"
                                + " WHERE m.id = ? FOR UPDATE")
                        .param(d.id())
                        .query((rs, n) -> new Current(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3)))
                        .single();
                if (!c.state().equals("ACTIVE") || c.endsAt().isAfter(locked.now())) {
                  return 0; // renewed meanwhile
                }
                expireLocked(program.code(), person, c.plan(), d.id(), c.endsAt(), locked.now());
                return 1;
              });
    }
    return expired;
  }

  public List<Membership> memberships(String programCode, PersonRef person) {
    Instant now = clock.instant();
    return jdbc.sql(
            "SELECT p.code, m.state, m.started_at, m.ends_at FROM loyalty_paid_membership m JOIN loyalty_paid_plan p ON p.id = m.plan_id"
                + " WHERE m.program_id = ? AND m.person_id = ? ORDER BY p.code")
        .params(programs.get(programCode).id(), person.value())
        .query(
            (rs, n) -> {
              Instant ends = rs.getTimestamp(4).toInstant();
              boolean active = ends.isAfter(now);
              return new Membership(rs.getString(1), active ? "ACTIVE" : "EXPIRED", active, rs.getTimestamp(3).toInstant(), ends,
                  active ? java.time.Duration.between(now, ends).toDays() : 0);
            })
        .list();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  @ConditionalOnWebApplication
  @ConditionalOnBooleanProperty(name = "pond.loyalty.jobs.enabled", matchIfMissing = true)
  static class Schedule {
    private final PaidMemberships paid;

    Schedule(PaidMemberships paid) {
      this.paid = paid;
    }

    @Scheduled(initialDelayString = "${pond.loyalty.jobs.interval:PT1M}", fixedDelayString = "${pond.loyalty.jobs.interval:PT1M}")
    void run() {
      try {
        int expired = paid.expireDue();
        if (expired > 0) {
          log.info("Paid memberships expired: {}", expired);
        }
      } catch (RuntimeException e) {
        log.error("Paid membership expiry failed; it runs again at the next interval", e);
      }
    }
  }
}
