package io.pond.offer.firstorder;

import io.pond.offer.coupon.IssueOutcome;
import io.pond.offer.coupon.Issuing;
import io.pond.offer.coupon.Templates;
import io.pond.offer.member.Members;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * First-order programs (首单 / 新人礼): new customers — persons with no known paid order — are enrolled
 * (on joining, or by the member center) and given the program's offers (a new-customer coupon, ¥1 or
 * ¥9.9 items as special-price coupons). Commerce's paid orders mark each enrolment's first order; the
 * metrics say how many enrolled customers ordered within the program's window and what their first
 * orders' offers cost.
 */
@Component
public class FirstOrders {

  private static final Logger log = LoggerFactory.getLogger(FirstOrders.class);

  private final JdbcClient jdbc;
  private final Templates templates;
  private final Issuing issuing;
  private final Members members;
  private final AuditLog audit;
  private final Clock clock;

  private final JdbcTemplate template;

  FirstOrders(JdbcClient jdbc, JdbcTemplate template, Templates templates, Issuing issuing, Members members, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.template = template;
    this.templates = templates;
    this.issuing = issuing;
    this.members = members;
    this.audit = audit;
    this.clock = clock;
  }

  public record Program(long id, String code, String name, int windowDays, List<String> templateCodes, boolean enrolOnJoin, Instant createdAt) {}

  @Transactional
  public Program create(String code, String name, Integer windowDays, List<String> templateCodes, boolean enrolOnJoin, String actor) {
    if (code == null || !code.matches("[A-Za-z0-9_-]{1,64}")) {
      throw PondException.invalid("code", "must be 1-64 letters, digits, '_' or '-'");
    }
    if (windowDays == null || windowDays < 1 || windowDays > 365) {
      throw PondException.invalid("windowDays", "must be between 1 and 365");
    }
    if (templateCodes == null || templateCodes.isEmpty()) {
      throw PondException.invalid("templateCodes", "name the program's coupon templates");
    }
    for (int i = 0; i < templateCodes.size(); i++) {
      if (templates.findByCode(templateCodes.get(i)).isEmpty()) {
        throw PondException.invalid("templateCodes[" + i + "]", "no coupon template " + templateCodes.get(i));
      }
    }
    try {
      jdbc.sql("INSERT INTO offer_first_order_program (code, name, window_days, template_codes, enroll_on_join, created_at) VALUES (?, ?, ?, ?, ?, ?)")
          .params(code, name == null ? code : name, windowDays, String.join(",", templateCodes), enrolOnJoin, Timestamp.from(clock.instant()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new PondException(ErrorCode.CONFLICT, "first-order program " + code + " already exists", "code");
    }
    audit.record(actor, "offer.first_order.create", "first-order:" + code, windowDays + " days, " + templateCodes);
    return get(code);
  }

  public Program get(String code) {
    return find("code = ?", code).stream().findFirst().orElseThrow(() -> PondException.notFound("first-order program", code));
  }

  public List<Program> list() {
    return find("1 = ?", 1);
  }

  private List<Program> find(String where, Object arg) {
    return jdbc.sql("SELECT * FROM offer_first_order_program WHERE " + where + " ORDER BY id")
        .param(arg)
        .query((rs, n) -> new Program(
            rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getInt("window_days"), List.of(rs.getString("template_codes").split(",")),
            rs.getBoolean("enroll_on_join"), rs.getTimestamp("created_at").toInstant()))
        .list();
  }

  public record Enrolment(String program, int personId, Instant enrolledAt, Instant windowEndsAt, Instant firstPaidAt, String firstOrderKey,
      List<IssueOutcome.Coupon> coupons, boolean replayed) {}

  /**
   * Enrols a new customer and issues the program's offers; enrolling again answers the enrolment.
   *
   * @throws PondException {@code not_eligible} when the person already has a paid order
   */
  public Enrolment enrol(String code, int personId) {
    Program p = get(code);
    if (personId <= 0) {
      throw PondException.invalid("personId", "must be a positive person id");
    }
    Instant now = clock.instant();
    boolean replayed = enrolment(p, personId).isPresent();
    if (!replayed) {
      if (members.person(personId).hasOrdered()) {
        throw new PondException(ErrorCode.NOT_ELIGIBLE, "person " + personId + " has already ordered; first-order offers are for new customers", "personId");
      }
      jdbc.sql("INSERT INTO offer_first_order_enrollment (program_id, person_id, enrolled_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
          .params(p.id(), personId, Timestamp.from(now))
          .update();
    }
    List<IssueOutcome.Coupon> coupons = new ArrayList<>();
    for (String template : p.templateCodes()) {
      IssueOutcome outcome = issuing.grant(template, personId, "first_order:" + code, "first-order:" + code + ":" + personId);
      switch (outcome) {
        case IssueOutcome.Issued i -> coupons.add(i.coupon());
        case IssueOutcome.Refused r -> log.warn("First-order program {}: no {} for person {}: {}", code, template, personId, r.message());
      }
    }
    Row e = enrolment(p, personId).orElseThrow();
    return new Enrolment(code, personId, e.enrolledAt(), e.enrolledAt().plus(Duration.ofDays(p.windowDays())), e.firstPaidAt(), e.firstOrderKey(), coupons, replayed);
  }

  /** Enrols a person who just joined in every program that enrols on join (new customers only). */
  public void enrolOnJoin(int personId, Instant at) {
    for (Program p : list()) {
      if (p.enrolOnJoin()) {
        try {
          enrol(p.code(), personId);
        } catch (PondException e) {
          log.debug("Not enrolled in {}: {}", p.code(), e.getMessage());
        }
      }
    }
  }

  /** A paid order of the person: if it is their first, it is the first order of their open enrolments. */
  @Transactional
  public boolean orderPaid(int personId, String orderKey, Instant paidAt) {
    return !ordersPaid(List.of(new Members.Paid(personId, orderKey, paidAt))).isEmpty();
  }

  /** {@link #orderPaid} for many orders, in order, with batched statements; returns the first orders. */
  @Transactional
  public List<Members.Paid> ordersPaid(List<Members.Paid> orders) {
    List<Members.Paid> first = members.paidAll(orders);
    if (!first.isEmpty()) {
      template.batchUpdate(
          "UPDATE offer_first_order_enrollment SET first_paid_at = ?, first_order_key = ? WHERE person_id = ? AND first_paid_at IS NULL AND enrolled_at <= ?",
          first.stream().map(o -> new Object[] {Timestamp.from(o.at()), o.orderKey(), o.personId(), Timestamp.from(o.at())}).toList());
    }
    return first;
  }

  private record Row(int personId, Instant enrolledAt, Instant firstPaidAt, String firstOrderKey) {}

  private Optional<Row> enrolment(Program p, int personId) {
    return rows(p, "AND person_id = ?", personId).stream().findFirst();
  }

  private List<Row> rows(Program p, String and, Object... args) {
    Object[] params = new Object[args.length + 1];
    params[0] = p.id();
    System.arraycopy(args, 0, params, 1, args.length);
    return jdbc.sql("SELECT person_id, enrolled_at, first_paid_at, first_order_key FROM offer_first_order_enrollment WHERE program_id = ? " + and)
        .params(params)
        .query((rs, n) -> new Row(rs.getInt(1), rs.getTimestamp(2).toInstant(),
            rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(), rs.getString(4)))
        .list();
  }

  /**
   * A cohort's results: of the customers enrolled in {@code [from, to)}, how many paid a first order
   * within the window ({@code acquired}), the rate, and the offers' cost on those first orders (goods
   * and shipping taken off, plus gifts at their value) in all and per acquired customer.
   */
  public record Metrics(
      String program, Instant from, Instant to, int windowDays, int enrolled, int acquired, int stillInWindow, double firstOrderRate,
      long subsidyFen, long subsidyPerAcquiredFen) {}

  public Metrics metrics(String code, Instant from, Instant to) {
    Program p = get(code);
    Instant now = clock.instant();
    List<Row> cohort = rows(p, "AND enrolled_at >= ? AND enrolled_at < ?", Timestamp.from(from), Timestamp.from(to));
    Duration window = Duration.ofDays(p.windowDays());
    Map<String, Long> subsidyByOrder = new HashMap<>();
    Set<String> programTemplates = Set.copyOf(p.templateCodes());
    jdbc.sql("SELECT c.person_id, c.order_key, c.discount_fen, t.kind, t.gift_value_fen, t.code FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id"
            + " WHERE t.code IN (" + String.join(",", java.util.Collections.nCopies(programTemplates.size(), "?")) + ") AND c.status = 'REDEEMED'")
        .params(List.copyOf(programTemplates).toArray())
        .query(rs -> {
          long cost = rs.getLong(3) + ("GIFT".equals(rs.getString(4)) ? rs.getLong(5) : 0);
          subsidyByOrder.merge(rs.getInt(1) + "|" + rs.getString(2), cost, Long::sum);
        });
    int acquired = 0;
    int inWindow = 0;
    long subsidy = 0;
    for (Row r : cohort) {
      Instant ends = r.enrolledAt().plus(window);
      if (r.firstPaidAt() != null && r.firstPaidAt().isBefore(ends)) {
        acquired++;
        subsidy += subsidyByOrder.getOrDefault(r.personId() + "|" + r.firstOrderKey(), 0L);
      } else if (r.firstPaidAt() == null && now.isBefore(ends)) {
        inWindow++;
      }
    }
    double rate = cohort.isEmpty() ? 0 : (double) acquired / cohort.size();
    return new Metrics(code, from, to, p.windowDays(), cohort.size(), acquired, inWindow, rate, subsidy, acquired == 0 ? 0 : subsidy / acquired);
  }
}
