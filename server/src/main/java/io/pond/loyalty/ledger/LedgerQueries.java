package io.pond.loyalty.ledger;

import io.pond.loyalty.PersonRef;
import io.pond.loyalty.PointsExpiringSoon;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.loyalty.program.domain.TierPolicy;
import io.pond.platform.errors.PondException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reading the ledger: balances, explained entries, tier progress; and checking it (reconcile). */
@Component
public class LedgerQueries {

  private final JdbcClient jdbc;
  private final Programs programs;
  private final PointsLedger ledger;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  public LedgerQueries(JdbcClient jdbc, Programs programs, PointsLedger ledger, Clock clock, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.programs = programs;
    this.ledger = ledger;
    this.clock = clock;
    this.events = events;
  }

  public record Expiring(LocalDate expiresOn, long points) {}

  public record Balance(
      String program,
      int personId,
      long available,
      long pending,
      long growth,
      String tier,
      String tierName,
      Instant tierSince,
      List<Expiring> expiringSoon,
      TierPolicy.Projection progress) {}

  public record Allocation(long lotId, long points) {}

  public record Entry(
      long id,
      String type,
      long points,
      long available,
      long pending,
      long growth,
      String source,
      String businessType,
      String businessId,
      String orderKey,
      Long reverses,
      int configVersion,
      String rule,
      String multiplier,
      String reason,
      String actor,
      Instant occurredAt,
      List<Allocation> allocations) {}

  public Optional<PointsLedger.Account> account(long programId, int personId) {
    return jdbc.sql("SELECT * FROM loyalty_account WHERE program_id = ? AND person_id = ?")
        .params(programId, personId)
        .query(PointsLedger::account)
        .optional();
  }

  private PointsLedger.Account require(Programs.Program program, PersonRef person) {
    return account(program.id(), person.value())
        .orElseThrow(() -> PondException.notFound("loyalty account of person", person.value() + " in program " + program.code()));
  }

  public Balance balance(String programCode, PersonRef person) {
    Programs.Program program = programs.get(programCode);
    PointsLedger.Account a = require(program, person);
    ProgramConfig config = program.config();
    Instant now = clock.instant();
    Instant horizon = now.plus(Duration.ofDays(config.expiringSoonDays()));
    List<Expiring> expiring = expiring(a.id(), now, horizon);
    return new Balance(
        program.code(),
        person.value(),
        a.available(),
        a.pending(),
        a.growth(),
        config.tier(a.tier()).code(),
        config.tier(a.tier()).name(),
        a.tierSince(),
        expiring,
        progress(program, a, now));
  }

  private List<Expiring> expiring(long accountId, Instant from, Instant until) {
    List<Expiring> byDay = new ArrayList<>();
    jdbc.sql(
            "SELECT expires_at, remaining FROM loyalty_lot WHERE account_id = ? AND spendable = TRUE"
                + " AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at")
        .params(accountId, PointsLedger.ts(until))
        .query((rs, n) -> new Expiring(LocalDate.ofInstant(rs.getTimestamp(1).toInstant(), clock.getZone()), rs.getLong(2)))
        .list()
        .forEach(
            e -> {
              if (!byDay.isEmpty() && byDay.getLast().expiresOn().equals(e.expiresOn())) {
                byDay.set(byDay.size() - 1, new Expiring(e.expiresOn(), byDay.getLast().points() + e.points()));
              } else {
                byDay.add(e);
              }
            });
    return byDay;
  }

  private TierPolicy.Projection progress(Programs.Program program, PointsLedger.Account a, Instant now) {
    ProgramConfig config = program.config();
    String measure = config.qualification().measure();
    Instant end = now.plusMillis(1);
    long valueNow = ledger.measures(a.id(), TierPolicy.windowStart(config, now, a.joinedAt(), clock.getZone()), end).of(measure);
    long valueForReview =
        ledger.measures(a.id(), TierPolicy.reviewWindowStart(config, a.nextReviewAt(), clock.getZone()), end).of(measure);
    return TierPolicy.project(config, a.tier(), valueNow, valueForReview, a.nextReviewAt());
  }

  public TierPolicy.Projection progress(String programCode, PersonRef person) {
    Programs.Program program = programs.get(programCode);
    return progress(program, require(program, person), clock.instant());
  }

  /** Newest first; {@code beforeId} pages backwards. */
  public List<Entry> entries(String programCode, PersonRef person, Long beforeId, int limit) {
    Programs.Program program = programs.get(programCode);
    PointsLedger.Account a = require(program, person);
    List<Entry> entries =
        jdbc.sql(
                "SELECT * FROM loyalty_entry WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?")
            .params(a.id(), beforeId == null ? Long.MAX_VALUE : beforeId, limit)
            .query(
                (rs, n) ->
                    new Entry(
                        rs.getLong("id"),
                        rs.getString("type"),
                        rs.getLong("points"),
                        rs.getLong("delta_available"),
                        rs.getLong("delta_pending"),
                        rs.getLong("delta_growth"),
                        rs.getString("source"),
                        rs.getString("business_type"),
                        rs.getString("business_id"),
                        rs.getString("order_key"),
                        (Long) rs.getObject("reverses_entry_id", Long.class),
                        rs.getInt("config_version"),
                        rs.getString("rule"),
                        rs.getString("multiplier"),
                        rs.getString("reason"),
                        rs.getString("actor"),
                        rs.getTimestamp("occurred_at").toInstant(),
                        List.of()))
            .list();
    return entries.stream()
        .map(
            e ->
                new Entry(
                    e.id(), e.type(), e.points(), e.available(), e.pending(), e.growth(), e.source(), e.businessType(),
                    e.businessId(), e.orderKey(), e.reverses(), e.configVersion(), e.rule(), e.multiplier(), e.reason(),
                    e.actor(), e.occurredAt(),
                    jdbc.sql("SELECT lot_id, points FROM loyalty_allocation WHERE entry_id = ? ORDER BY lot_id")
                        .param(e.id())
                        .query((rs, n) -> new Allocation(rs.getLong(1), rs.getLong(2)))
                        .list()))
        .toList();
  }

  /**
   * What more explains entries, for a member's history: the lot an earning made (what is left of it,
   * pending until when, expiring when), the mall item a redemption took, the order claim it settled.
   */
  public record EntryDetail(
      long entryId,
      Long lotOriginal,
      Long lotRemaining,
      boolean lotPending,
      Instant pendingUntil,
      Instant expiresAt,
      String itemCode,
      String itemName,
      Integer quantity,
      String reservationStatus,
      Long claimId,
      String claimChannel,
      String claimOrderNumber) {}

  /** Details of the given entries (absent: nothing more to say about that entry). */
  public Map<Long, EntryDetail> details(List<Long> entryIds) {
    Map<Long, EntryDetail> out = new HashMap<>();
    if (entryIds.isEmpty()) {
      return out;
    }
    jdbc.sql(
            "SELECT e.id, l.original, l.remaining, l.pending, l.pending_until, l.expires_at, i.code AS item_code, i.name AS item_name,"
                + " r.quantity, r.status AS reservation_status, c.id AS claim_id, c.channel AS claim_channel,"
                + " c.platform_order_id AS claim_order FROM loyalty_entry e"
                + " LEFT JOIN loyalty_lot l ON l.entry_id = e.id"
                + " LEFT JOIN loyalty_reservation r ON r.redeem_entry_id = e.id"
                + " LEFT JOIN loyalty_mall_item i ON i.id = r.item_id"
                + " LEFT JOIN loyalty_claim c ON c.entry_id = e.id"
                + " WHERE e.id IN (:ids)")
        .param("ids", entryIds)
        .query(
            rs -> {
              long id = rs.getLong("id");
              if (out.containsKey(id)) {
                return; // one lot per earning; a second row adds nothing the member needs
              }
              java.sql.Timestamp pendingUntil = rs.getTimestamp("pending_until");
              java.sql.Timestamp expiresAt = rs.getTimestamp("expires_at");
              out.put(
                  id,
                  new EntryDetail(
                      id,
                      rs.getObject("original", Long.class),
                      rs.getObject("remaining", Long.class),
                      rs.getBoolean("pending"),
                      pendingUntil == null ? null : pendingUntil.toInstant(),
                      expiresAt == null ? null : expiresAt.toInstant(),
                      rs.getString("item_code"),
                      rs.getString("item_name"),
                      rs.getObject("quantity", Integer.class),
                      rs.getString("reservation_status"),
                      rs.getObject("claim_id", Long.class),
                      rs.getString("claim_channel"),
                      rs.getString("claim_order")));
            });
    return out;
  }

  /** Publishes {@link PointsExpiringSoon} once per account and expiry date within each program's horizon. */
  public int announceExpiringSoon() {
    Instant now = clock.instant();
    int announced = 0;
    for (Programs.Program program : programs.list()) {
      Instant horizon = now.plus(Duration.ofDays(program.config().expiringSoonDays()));
      List<long[]> accounts =
          jdbc.sql(
                  "SELECT DISTINCT a.id, a.person_id FROM loyalty_account a JOIN loyalty_lot l ON l.account_id = a.id"
                      + " WHERE a.program_id = ? AND l.spendable = TRUE AND l.expires_at > ? AND l.expires_at <= ?")
              .params(program.id(), PointsLedger.ts(now), PointsLedger.ts(horizon))
              .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
              .list();
      for (long[] account : accounts) {
        for (Expiring e : expiring(account[0], now, horizon)) {
          if (e.expiresOn().isBefore(LocalDate.ofInstant(now, clock.getZone()))) {
            continue;
          }
          int inserted =
              ledger.inTransaction(
                  s -> {
                    boolean known =
                        jdbc.sql("SELECT COUNT(*) FROM loyalty_expiry_notice WHERE account_id = ? AND expires_on = ?")
                                .params(account[0], e.expiresOn())
                                .query(Long.class)
                                .single()
                            > 0;
                    if (known) {
                      return 0;
                    }
                    jdbc.sql("INSERT INTO loyalty_expiry_notice (account_id, expires_on, points, at) VALUES (?, ?, ?, ?)")
                        .params(account[0], e.expiresOn(), e.points(), PointsLedger.ts(now))
                        .update();
                    events.publishEvent(
                        new PointsExpiringSoon(program.code(), new PersonRef((int) account[1]), e.points(), e.expiresOn(), now));
                    return 1;
                  });
          announced += inserted;
        }
      }
    }
    return announced;
  }

  // ---------------------------------------------------------------- reconcile

  /** A difference between an account's stored state and what its entries and lots say. */
  public record Drift(long accountId, int personId, String what, long stored, long recomputed) {}

  public List<Long> accountIds() {
    return jdbc.sql("SELECT id FROM loyalty_account ORDER BY id").query(Long.class).list();
  }

  /**
   * Recomputes one account from its entries, lots and allocations: running totals = Σ entry deltas;
   * each lot's remaining = original − Σ allocations, never below zero; available = Σ remaining of
   * available lots (less any negative balance); pending = Σ remaining of pending lots.
   */
  public List<Drift> reconcile(long accountId) {
    PointsLedger.Account a =
        jdbc.sql("SELECT * FROM loyalty_account WHERE id = ?").param(accountId).query(PointsLedger::account).single();
    List<Drift> drifts = new ArrayList<>();
    long[] sums =
        jdbc.sql(
                "SELECT COALESCE(SUM(delta_available), 0), COALESCE(SUM(delta_pending), 0), COALESCE(SUM(delta_growth), 0),"
                    + " COALESCE(SUM(CASE WHEN points <> delta_available + delta_pending THEN 1 ELSE 0 END), 0)"
                    + " FROM loyalty_entry WHERE account_id = ?")
            .param(accountId)
            .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)})
            .single();
    check(drifts, a, "available = Σ entries", a.available(), sums[0]);
    check(drifts, a, "pending = Σ entries", a.pending(), sums[1]);
    check(drifts, a, "growth = Σ entries", a.growth(), sums[2]);
    check(drifts, a, "entries whose points ≠ their deltas", 0, sums[3]);
    jdbc.sql(
            "SELECT l.id, l.remaining, l.original - COALESCE((SELECT SUM(al.points) FROM loyalty_allocation al WHERE al.lot_id = l.id), 0)"
                + " FROM loyalty_lot l WHERE l.account_id = ?")
        .param(accountId)
        .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
        .list()
        .forEach(
            lot -> {
              check(drifts, a, "lot " + lot[0] + " remaining = original − Σ allocations", lot[1], lot[2]);
              if (lot[2] < 0) {
                check(drifts, a, "lot " + lot[0] + " below zero", 0, lot[2]);
              }
            });
    long[] lots =
        jdbc.sql(
                "SELECT COALESCE(SUM(CASE WHEN pending THEN 0 ELSE remaining END), 0), COALESCE(SUM(CASE WHEN pending THEN remaining ELSE 0 END), 0)"
                    + " FROM loyalty_lot WHERE account_id = ?")
            .param(accountId)
            .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .single();
    check(drifts, a, "available = Σ remaining of available lots", Math.max(0, a.available()), lots[0]);
    if (a.available() < 0) {
      check(drifts, a, "no points in lots while the balance is negative", 0, lots[0]);
    }
    check(drifts, a, "pending = Σ remaining of pending lots", a.pending(), lots[1]);
    // the rows point at each other within the account (the ledger's row tables have no foreign keys: V131)
    long[] orphans =
        jdbc.sql(
                "SELECT (SELECT COUNT(*) FROM loyalty_lot l WHERE l.account_id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM loyalty_entry e WHERE e.id = l.entry_id AND e.account_id = l.account_id)),"
                    + " (SELECT COUNT(*) FROM loyalty_allocation al JOIN loyalty_lot l ON l.id = al.lot_id WHERE l.account_id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM loyalty_entry e WHERE e.id = al.entry_id AND e.account_id = l.account_id)),"
                    + " (SELECT COUNT(*) FROM loyalty_allocation al JOIN loyalty_entry e ON e.id = al.entry_id WHERE e.account_id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM loyalty_lot l WHERE l.id = al.lot_id AND l.account_id = e.account_id))")
            .params(accountId, accountId, accountId)
            .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
            .single();
    check(drifts, a, "lots without their entry in the account", 0, orphans[0]);
    check(drifts, a, "allocations of the account's lots without their entry in the account", 0, orphans[1]);
    check(drifts, a, "allocations of the account's entries without their lot in the account", 0, orphans[2]);
    return drifts;
  }

  private static void check(List<Drift> drifts, PointsLedger.Account a, String what, long stored, long recomputed) {
    if (stored != recomputed) {
      drifts.add(new Drift(a.id(), a.personId(), what, stored, recomputed));
    }
  }
}
