package io.pond.loyalty.ledger;

import io.pond.identity.PersonSplit;
import io.pond.identity.PersonsMerged;
import io.pond.loyalty.AccountSplit;
import io.pond.loyalty.AccountsMerged;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.ledger.domain.Lots;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.TierPolicy;
import io.pond.platform.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Follows OneID: when two persons become one, their accounts in each program become one; when a
 * merge is split, the restored person's account reopens. The policy (docs/loyalty.md, "Person merges
 * and splits"):
 *
 * <ul>
 *   <li><b>Merge.</b> The merged person's entries, lots (with their pending state and expiry),
 *       qualifying facts and open reservations are re-homed to the survivor's account, which adds the
 *       merged balances and growth value; amounts are never edited, so reconcile holds on both
 *       accounts. Tier = the higher of the two (and the higher review floor); member since = the
 *       earlier joining. A negative balance of one side is paid from the other side's available lots
 *       (a zero-point ADJUST that only allocates). The merged account is closed and points at the
 *       survivor: anything later posted for the merged person lands on the survivor's account.
 *   <li><b>Split.</b> Points are not split back: after a merge the member may have spent points of
 *       either side, so which points were whose is no longer a fact. The survivor keeps the balance,
 *       growth and tier; the restored person's account reopens empty (with the tier it had) and the
 *       split is audited ({@code loyalty.account.split}) so that an operator can move points with an
 *       adjustment where the split shows they belonged to the restored person.
 * </ul>
 */
@Component
public class AccountMerges {

  private static final Logger log = LoggerFactory.getLogger(AccountMerges.class);

  private final JdbcClient jdbc;
  private final PointsLedger ledger;
  private final Programs programs;
  private final AuditLog audit;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  AccountMerges(JdbcClient jdbc, PointsLedger ledger, Programs programs, AuditLog audit, Clock clock, ApplicationEventPublisher events) {
    this.jdbc = jdbc;
    this.ledger = ledger;
    this.programs = programs;
    this.audit = audit;
    this.clock = clock;
    this.events = events;
  }

  @ApplicationModuleListener
  void on(PersonsMerged merged) {
    for (Programs.Program program : programs.list()) {
      merge(program.code(), new PersonRef(merged.survivor().value()), new PersonRef(merged.merged().value()), merged.mergeId());
    }
  }

  @ApplicationModuleListener
  void on(PersonSplit split) {
    reopen(split.mergeId(), split.actor());
  }

  /** What one merge did; empty when the merged person had no account in the program (or it was done before). */
  public record Merge(long survivorAccountId, long mergedAccountId, int entries, int lots, long available, long pending, long growth) {}

  /** Merges {@code merged}'s account into {@code survivor}'s; idempotent on (program, identity merge). */
  public Optional<Merge> merge(String programCode, PersonRef survivor, PersonRef merged, long identityMergeId) {
    Programs.Program program = programs.get(programCode);
    boolean hasAccount =
        jdbc.sql("SELECT COUNT(*) FROM loyalty_account WHERE program_id = ? AND person_id = ? AND merged_into_person IS NULL")
                .params(program.id(), merged.value())
                .query(Long.class)
                .single()
            > 0;
    if (!hasAccount || survivor.equals(merged)) {
      return Optional.empty();
    }
    ledger.ensureAccount(program, survivor.value());
    return ledger.inTransaction(
        status -> {
          // lock both rows in id order (any posting locks one at a time, so no deadlock with them)
          List<PointsLedger.Account> both =
              jdbc.sql("SELECT * FROM loyalty_account WHERE program_id = ? AND person_id IN (?, ?) ORDER BY id FOR UPDATE")
                  .params(program.id(), survivor.value(), merged.value())
                  .query(PointsLedger::account)
                  .list();
          boolean done =
              jdbc.sql("SELECT COUNT(*) FROM loyalty_account_merge WHERE program_id = ? AND identity_merge_id = ?")
                      .params(program.id(), identityMergeId)
                      .query(Long.class)
                      .single()
                  > 0;
          boolean alreadyClosed =
              jdbc.sql("SELECT COUNT(*) FROM loyalty_account WHERE program_id = ? AND person_id = ? AND merged_into_person IS NOT NULL")
                      .params(program.id(), merged.value())
                      .query(Long.class)
                      .single()
                  > 0;
          if (done || alreadyClosed) {
            return Optional.<Merge>empty();
          }
          PointsLedger.Account s = both.stream().filter(x -> x.personId() == survivor.value()).findFirst().orElseThrow();
          PointsLedger.Account m = both.stream().filter(x -> x.personId() == merged.value()).findFirst().orElseThrow();
          Instant now = clock.instant();
          int entries = move("loyalty_entry", m.id(), s.id());
          int lots = move("loyalty_lot", m.id(), s.id());
          move("loyalty_qualifying", m.id(), s.id());
          move("loyalty_reservation", m.id(), s.id());

          // the merged account is closed: nothing left in it, and it points at the survivor
          PointsLedger.Locked closed = ledger.new Locked(program, zeroed(m), now);
          ledger.saveAccount(closed, "MERGED", null);
          jdbc.sql("UPDATE loyalty_account SET merged_into_person = ? WHERE id = ?").params(survivor.value(), m.id()).update();

          Instant joined = s.joinedAt().isBefore(m.joinedAt()) ? s.joinedAt() : m.joinedAt();
          Instant nextReview =
              joined.equals(s.joinedAt()) ? s.nextReviewAt() : TierPolicy.nextReview(program.config(), now, joined, clock.getZone());
          PointsLedger.Locked a =
              ledger.new Locked(
                  program,
                  new PointsLedger.Account(
                      s.id(), s.programId(), s.personId(), s.available() + m.available(), s.pending() + m.pending(),
                      s.growth() + m.growth(), s.tier(), Math.max(s.tierFloor(), m.tierFloor()), s.tierSince(), nextReview, joined,
                      // the moved bindings' channels saw the merged account's sequence: the survivor's goes past it
                      Math.max(s.changeSeq(), m.changeSeq() + 1)),
                  now);
          ledger.saveAccount(a, "MERGE", null);
          int bindings = moveBindings(program, survivor, merged, identityMergeId, now);
          boolean memberCopied = copyMember(program, survivor, merged);
          payDebtFromLots(a, s, m, merged, identityMergeId);
          if (m.tier() > s.tier()) {
            ledger.changeTier(a, m.tier(), "merge: person " + merged.value() + " held " + program.config().tier(m.tier()).code(), false);
          }
          ledger.upgradeIfQualified(a);
          jdbc.sql(
                  "INSERT INTO loyalty_account_merge (program_id, identity_merge_id, survivor_account_id, merged_account_id, entries, lots,"
                      + " available, pending, growth, survivor_tier, merged_tier, at, member_copied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              .params(program.id(), identityMergeId, s.id(), m.id(), entries, lots, m.available(), m.pending(), m.growth(), s.tier(), m.tier(),
                  PointsLedger.ts(now), memberCopied)
              .update();
          events.publishEvent(
              new AccountsMerged(program.code(), survivor, merged, a.account.available(), a.account.pending(), a.account.growth(),
                  program.config().tier(a.account.tier()).code(), now));
          log.info("Loyalty account of person {} merged into {}'s in program {}: {} entries, {} lots, {} bindings", merged.value(),
              survivor.value(), program.code(), entries, lots, bindings);
          return Optional.of(new Merge(s.id(), m.id(), entries, lots, m.available(), m.pending(), m.growth()));
        });
  }

  /**
   * The merged person's bound channel bindings now serve the survivor (recorded, so that a split gives
   * exactly these back). They are queued again from the survivor's state ({@code enqueued_seq} 0; the
   * {@link AccountsMerged} event queues it at once where a connector exists). Two bindings on one
   * channel and shop may result (two channel member ids of what is now one person): both stay bound and
   * both get the same state; the one-binding-per-shop rule applies to joins.
   */
  private int moveBindings(Programs.Program program, PersonRef survivor, PersonRef merged, long identityMergeId, Instant now) {
    List<Long> bindings =
        jdbc.sql("SELECT id FROM loyalty_binding WHERE program_id = ? AND person_id = ? AND state = 'BOUND' ORDER BY id")
            .params(program.id(), merged.value())
            .query(Long.class)
            .list();
    for (long binding : bindings) {
      jdbc.sql(
              "INSERT INTO loyalty_binding_move (program_id, identity_merge_id, binding_id, from_person, to_person, moved_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")
          .params(program.id(), identityMergeId, binding, merged.value(), survivor.value(), PointsLedger.ts(now))
          .update();
      jdbc.sql("UPDATE loyalty_binding SET person_id = ?, enqueued_seq = 0 WHERE id = ?").params(survivor.value(), binding).update();
    }
    return bindings.size();
  }

  /** A survivor who was no member becomes one with the merged person's membership (joined at, first channel). */
  private boolean copyMember(Programs.Program program, PersonRef survivor, PersonRef merged) {
    boolean survivorIsMember =
        jdbc.sql("SELECT COUNT(*) FROM loyalty_member WHERE program_id = ? AND person_id = ?")
                .params(program.id(), survivor.value())
                .query(Long.class)
                .single()
            > 0;
    if (survivorIsMember) {
      return false;
    }
    return jdbc.sql(
                "INSERT INTO loyalty_member (program_id, person_id, joined_at, join_channel, join_shop)"
                    + " SELECT program_id, ?, joined_at, join_channel, join_shop FROM loyalty_member WHERE program_id = ? AND person_id = ?")
            .params(survivor.value(), program.id(), merged.value())
            .update()
        > 0;
  }

  private int move(String table, long from, long to) {
    return jdbc.sql("UPDATE " + table + " SET account_id = ? WHERE account_id = ?").params(to, from).update();
  }

  private static PointsLedger.Account zeroed(PointsLedger.Account m) {
    return new PointsLedger.Account(
        m.id(), m.programId(), m.personId(), 0, 0, 0, m.tier(), m.tierFloor(), m.tierSince(), m.nextReviewAt(), m.joinedAt(), m.changeSeq());
  }

  /**
   * A negative balance (refund policy {@code unlimited}) is a debt: while it is owed no lot may hold
   * available points. When one side brings a debt and the other available points, the points pay it.
   */
  private void payDebtFromLots(PointsLedger.Locked a, PointsLedger.Account s, PointsLedger.Account m, PersonRef merged, long identityMergeId) {
    long debt = Math.max(0, -s.available()) + Math.max(0, -m.available());
    if (debt == 0) {
      return;
    }
    List<Lots.Allocation> allocations = Lots.take(ledger.availableLots(a, null), debt);
    if (allocations.isEmpty()) {
      return;
    }
    PointsLedger.Key key = new PointsLedger.Key("pond", "merge_debt", identityMergeId + "/" + merged.value());
    long entryId =
        ledger.post(
            a,
            new PointsLedger.Draft(
                "ADJUST", 0, 0, 0, key, null, null, "merge", null,
                "a negative balance brought by the merge is paid from available points", "system", a.now));
    for (Lots.Allocation allocation : allocations) {
      ledger.allocate(entryId, allocation.lotId(), allocation.points());
    }
  }

  /**
   * Reopens the accounts a split merge had closed (see the class comment for what stays with the
   * survivor) and gives the restored person back the channel bindings the merge had moved.
   */
  public int reopen(long identityMergeId, String actor) {
    return ledger.inTransaction(
        status -> {
          record Row(long id, long programId, long survivorAccount, long mergedAccount, long available, long pending, boolean memberCopied) {}
          List<Row> rows =
              jdbc.sql(
                      "SELECT id, program_id, survivor_account_id, merged_account_id, available, pending, member_copied FROM loyalty_account_merge"
                          + " WHERE identity_merge_id = ? AND split_at IS NULL")
                  .param(identityMergeId)
                  .query((rs, n) -> new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getBoolean(7)))
                  .list();
          Instant now = clock.instant();
          for (Row row : rows) {
            Programs.Program program = programs.byId(row.programId());
            List<PointsLedger.Account> both =
                jdbc.sql("SELECT * FROM loyalty_account WHERE id IN (?, ?) ORDER BY id FOR UPDATE")
                    .params(row.survivorAccount(), row.mergedAccount())
                    .query(PointsLedger::account)
                    .list();
            PointsLedger.Account s = both.stream().filter(x -> x.id() == row.survivorAccount()).findFirst().orElseThrow();
            PointsLedger.Account m = both.stream().filter(x -> x.id() == row.mergedAccount()).findFirst().orElseThrow();
            jdbc.sql("UPDATE loyalty_account SET merged_into_person = NULL WHERE id = ?").param(row.mergedAccount()).update();
            jdbc.sql("UPDATE loyalty_account_merge SET split_at = ? WHERE id = ?").params(PointsLedger.ts(now), row.id()).update();
            // the returned bindings' channels saw the survivor's sequence: the restored account's goes past it
            PointsLedger.Locked restored =
                ledger.new Locked(
                    program,
                    new PointsLedger.Account(
                        m.id(), m.programId(), m.personId(), m.available(), m.pending(), m.growth(), m.tier(), m.tierFloor(), m.tierSince(),
                        m.nextReviewAt(), m.joinedAt(), Math.max(m.changeSeq(), s.changeSeq())),
                    now);
            ledger.saveAccount(restored, "SPLIT", null);
            int returned = returnBindings(program, identityMergeId, now);
            if (row.memberCopied()) {
              dropCopiedMember(program, s.personId());
            }
            audit.record(
                actor == null ? "system" : actor,
                "loyalty.account.split",
                "loyalty_account:" + row.mergedAccount(),
                "identity merge " + identityMergeId + " was split; account " + row.mergedAccount() + " reopens empty; account "
                    + row.survivorAccount() + " keeps the " + row.available() + " available and " + row.pending()
                    + " pending points it received at the merge; " + returned + " channel binding(s) return to person " + m.personId());
            events.publishEvent(new AccountSplit(program.code(), new PersonRef(s.personId()), new PersonRef(m.personId()), returned, now));
          }
          return rows.size();
        });
  }

  /** The bindings this merge moved go back, unless one was bound to someone else since. */
  private int returnBindings(Programs.Program program, long identityMergeId, Instant now) {
    record Moved(long id, long binding, int from, int to) {}
    List<Moved> moved =
        jdbc.sql(
                "SELECT id, binding_id, from_person, to_person FROM loyalty_binding_move WHERE program_id = ? AND identity_merge_id = ?"
                    + " AND returned_at IS NULL ORDER BY id")
            .params(program.id(), identityMergeId)
            .query((rs, n) -> new Moved(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4)))
            .list();
    int returned = 0;
    for (Moved m : moved) {
      returned +=
          jdbc.sql("UPDATE loyalty_binding SET person_id = ?, enqueued_seq = 0 WHERE id = ? AND person_id = ?")
              .params(m.from(), m.binding(), m.to())
              .update();
      jdbc.sql("UPDATE loyalty_binding_move SET returned_at = ? WHERE id = ?").params(PointsLedger.ts(now), m.id()).update();
    }
    return returned;
  }

  /** Membership the merge gave the survivor ends with the split, unless the survivor has a binding of its own by now. */
  private void dropCopiedMember(Programs.Program program, int survivor) {
    long bound =
        jdbc.sql("SELECT COUNT(*) FROM loyalty_binding WHERE program_id = ? AND person_id = ? AND state = 'BOUND'")
            .params(program.id(), survivor)
            .query(Long.class)
            .single();
    if (bound == 0) {
      jdbc.sql("DELETE FROM loyalty_member WHERE program_id = ? AND person_id = ?").params(program.id(), survivor).update();
    }
  }
}
