package io.pond.offer.member;

import io.pond.offer.coupon.domain.ClaimPolicy;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What offer knows of persons, kept from other modules' events: tiers (loyalty's {@code TierChanged}),
 * birthdays (a profile trait, or operator input), paid-membership plans, and the first paid order
 * (commerce). Offer does not read other modules' tables; this is its own projection.
 */
@Component
public class Members {

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  Members(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  /** The facts the claim policy needs. */
  public ClaimPolicy.Person person(int personId) {
    Optional<Boolean[]> row =
        jdbc.sql("SELECT joined_at IS NOT NULL, first_paid_at IS NOT NULL FROM offer_member WHERE person_id = ?")
            .param(personId)
            .query((rs, n) -> new Boolean[] {rs.getBoolean(1), rs.getBoolean(2)})
            .optional();
    if (row.isEmpty()) {
      return ClaimPolicy.Person.UNKNOWN;
    }
    return new ClaimPolicy.Person(row.get()[0], new HashSet<>(tiers(personId).values()), row.get()[1]);
  }

  /** Program → tier. */
  public Map<String, String> tiers(int personId) {
    Map<String, String> out = new LinkedHashMap<>();
    jdbc.sql("SELECT program, tier FROM offer_member_tier WHERE person_id = ? ORDER BY program")
        .param(personId)
        .query(rs -> {
          out.put(rs.getString(1), rs.getString(2));
        });
    return out;
  }

  /**
   * Records a person's tier in a program; answers whether this made them a member here for the first
   * time (offer then treats it as the join).
   */
  public boolean tier(String program, int personId, String tier, Instant at) {
    boolean joined = join(personId, at);
    int updated = jdbc.sql("UPDATE offer_member_tier SET tier = ?, since = ? WHERE program = ? AND person_id = ?")
        .params(tier, Timestamp.from(at), program, personId)
        .update();
    if (updated == 0) {
      jdbc.sql("INSERT INTO offer_member_tier (program, person_id, tier, since) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .params(program, personId, tier, Timestamp.from(at))
          .update();
    }
    return joined;
  }

  /** Marks the person a member from {@code at}; true when they were not one before. */
  public boolean join(int personId, Instant at) {
    ensure(personId);
    return jdbc.sql("UPDATE offer_member SET joined_at = ? WHERE person_id = ? AND joined_at IS NULL")
            .params(Timestamp.from(at), personId)
            .update()
        == 1;
  }

  public Optional<Instant> joinedAt(int personId) {
    return jdbc.sql("SELECT joined_at FROM offer_member WHERE person_id = ?")
        .param(personId)
        .query((rs, n) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
        .optional()
        .flatMap(x -> x);
  }

  /**
   * Sets a birthday from {@code MM-dd} or {@code yyyy-MM-dd}; a blank value removes it.
   *
   * @throws PondException {@code validation_failed} on field {@code birthday} for anything else
   */
  public void birthday(int personId, String value) {
    String monthDay = null;
    if (value != null && !value.isBlank()) {
      String v = value.trim();
      try {
        MonthDay md = v.length() == 5 ? MonthDay.parse("--" + v) : MonthDay.from(LocalDate.parse(v));
        monthDay = String.format("%02d-%02d", md.getMonthValue(), md.getDayOfMonth());
      } catch (DateTimeParseException e) {
        throw PondException.invalid("birthday", "'" + value + "' is not MM-dd or yyyy-MM-dd");
      }
    }
    ensure(personId);
    jdbc.sql("UPDATE offer_member SET birthday = ? WHERE person_id = ?").params(monthDay, personId).update();
  }

  /** Members whose birthday falls on this day (29 February birthdays are celebrated on 28 February in other years). */
  public List<Integer> birthdaysOn(LocalDate day) {
    String md = String.format("%02d-%02d", day.getMonthValue(), day.getDayOfMonth());
    boolean leapEve = !day.isLeapYear() && day.getMonthValue() == 2 && day.getDayOfMonth() == 28;
    return jdbc.sql("SELECT person_id FROM offer_member WHERE joined_at IS NOT NULL AND (birthday = ? OR birthday = ?) ORDER BY person_id")
        .params(md, leapEve ? "02-29" : md)
        .query(Integer.class)
        .list();
  }

  /** A paid-membership plan the person holds from {@code startsAt} until {@code endsAt}. */
  public void plan(int personId, String plan, Instant startsAt, Instant endsAt) {
    ensure(personId);
    int updated = jdbc.sql("UPDATE offer_member_plan SET starts_at = ?, ends_at = ? WHERE person_id = ? AND plan = ?")
        .params(Timestamp.from(startsAt), Timestamp.from(endsAt), personId, plan)
        .update();
    if (updated == 0) {
      jdbc.sql("INSERT INTO offer_member_plan (person_id, plan, starts_at, ends_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .params(personId, plan, Timestamp.from(startsAt), Timestamp.from(endsAt))
          .update();
    }
  }

  /**
   * A paid membership began (loyalty's {@code PaidMembershipStarted}). Order-proof for redeliveries: a
   * period is replaced only by a later one, or by the same one reaching further.
   */
  public void planStarted(int personId, String plan, Instant startsAt, Instant endsAt) {
    ensure(personId);
    Timestamp from = Timestamp.from(startsAt);
    Timestamp until = Timestamp.from(endsAt);
    int updated = jdbc.sql("UPDATE offer_member_plan SET starts_at = ?, ends_at = ? WHERE person_id = ? AND plan = ?"
            + " AND (starts_at < ? OR (starts_at = ? AND ends_at < ?))")
        .params(from, until, personId, plan, from, from, until)
        .update();
    if (updated == 0) {
      jdbc.sql("INSERT INTO offer_member_plan (person_id, plan, starts_at, ends_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .params(personId, plan, from, until)
          .update();
    }
  }

  /** A paid membership was renewed: its end moves to {@code endsAt} (never backwards). */
  public void renew(int personId, String plan, Instant at, Instant endsAt) {
    ensure(personId);
    int updated = jdbc.sql("UPDATE offer_member_plan SET ends_at = ? WHERE person_id = ? AND plan = ? AND ends_at < ?")
        .params(Timestamp.from(endsAt), personId, plan, Timestamp.from(endsAt))
        .update();
    if (updated == 0) {
      jdbc.sql("INSERT INTO offer_member_plan (person_id, plan, starts_at, ends_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
          .params(personId, plan, Timestamp.from(at), Timestamp.from(endsAt))
          .update();
    }
  }

  /** A paid membership ended at {@code endedAt} (a later period, started after it, is left alone). */
  public void endPlan(int personId, String plan, Instant endedAt) {
    Timestamp end = Timestamp.from(endedAt);
    jdbc.sql("UPDATE offer_member_plan SET ends_at = ? WHERE person_id = ? AND plan = ? AND ends_at > ? AND starts_at <= ?")
        .params(end, personId, plan, end, end)
        .update();
  }

  /** Plans held at {@code at}. */
  public Set<String> plans(int personId, Instant at) {
    return new HashSet<>(
        jdbc.sql("SELECT plan FROM offer_member_plan WHERE person_id = ? AND starts_at <= ? AND ends_at > ?")
            .params(personId, Timestamp.from(at), Timestamp.from(at))
            .query(String.class)
            .list());
  }

  /** A paid order of a person: the order's key and when it was paid. */
  public record Paid(int personId, String orderKey, Instant at) {}

  /** Records a paid order; true when it is the person's first known one. */
  public boolean paid(int personId, String orderKey, Instant at) {
    return !paidAll(List.of(new Paid(personId, orderKey, at))).isEmpty();
  }

  /**
   * {@link #paid} for many orders, in order (the first order of a person given here is the one that may
   * be their first), with batched statements; returns the orders that were their person's first.
   */
  public List<Paid> paidAll(List<Paid> orders) {
    Map<Integer, Paid> earliest = new LinkedHashMap<>();
    orders.forEach(o -> earliest.putIfAbsent(o.personId(), o));
    List<Paid> candidates = List.copyOf(earliest.values());
    if (candidates.isEmpty()) {
      return List.of();
    }
    template.batchUpdate("INSERT INTO offer_member (person_id) VALUES (?) ON CONFLICT DO NOTHING",
        candidates.stream().map(o -> new Object[] {o.personId()}).toList());
    int[] counts =
        template.batchUpdate("UPDATE offer_member SET first_paid_at = ?, first_order_key = ? WHERE person_id = ? AND first_paid_at IS NULL",
            candidates.stream().map(o -> new Object[] {Timestamp.from(o.at()), o.orderKey(), o.personId()}).toList());
    List<Paid> first = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 1) {
        first.add(candidates.get(i));
      }
    }
    return first;
  }

  private void ensure(int personId) {
    jdbc.sql("INSERT INTO offer_member (person_id) VALUES (?) ON CONFLICT DO NOTHING").param(personId).update();
  }
}
