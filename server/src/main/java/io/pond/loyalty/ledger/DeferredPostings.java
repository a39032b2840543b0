package io.pond.loyalty.ledger;

import io.pond.loyalty.ledger.domain.Lots;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL: the rows of a combined batch's event earnings and redemptions, written by one statement
 * when the batch ends (or before any other statement of the batch), instead of one statement per
 * posting. The postings are computed against the locked accounts and their lots as the batch holds them;
 * entry and lot ids come from the tables' sequences, drawn for the whole batch at once.
 *
 * <p>The buffered postings assume their idempotency keys are new (a replay is rare). When one is not,
 * or anything else refuses the write, {@link #flush} throws {@link Refused}: the ledger rolls the batch
 * back and runs it again posting by posting, where a replay is found and answered as always.
 */
final class DeferredPostings {

  /** The buffered rows could not be written as computed; the batch runs again without deferral. */
  static final class Refused extends RuntimeException {
    Refused(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final JdbcTemplate jdbc;
  private final Sequences sequences;
  private final int capacity;

  // entries
  private final List<Long> entryId = new ArrayList<>();
  private final List<Long> entryAccount = new ArrayList<>();
  private final List<Long> entryProgram = new ArrayList<>();
  private final List<String> entryType = new ArrayList<>();
  private final List<Long> entryPoints = new ArrayList<>();
  private final List<Long> entryAvailable = new ArrayList<>();
  private final List<Long> entryPending = new ArrayList<>();
  private final List<Long> entryGrowth = new ArrayList<>();
  private final List<String> entrySource = new ArrayList<>();
  private final List<String> entryBusinessType = new ArrayList<>();
  private final List<String> entryBusinessId = new ArrayList<>();
  private final List<Integer> entryConfigVersion = new ArrayList<>();
  private final List<String> entryRule = new ArrayList<>();
  private final List<String> entryReason = new ArrayList<>();
  private final List<String> entryActor = new ArrayList<>();
  private final List<Timestamp> entryOccurred = new ArrayList<>();
  // lots made by the buffered earnings, by id, with what the buffered redemptions left in them
  private final Map<Long, NewLot> newLots = new LinkedHashMap<>();
  // points taken from lots that existed before the batch
  private final Map<Long, Long> taken = new LinkedHashMap<>();
  // allocations
  private final List<Long> allocationEntry = new ArrayList<>();
  private final List<Long> allocationLot = new ArrayList<>();
  private final List<Long> allocationPoints = new ArrayList<>();
  // accounts as the last buffered posting left them, and one change record per posting
  private final Map<Long, PointsLedger.Account> accounts = new LinkedHashMap<>();
  private final Map<Long, Instant> accountsAt = new LinkedHashMap<>();
  private final List<Long> changeAccount = new ArrayList<>();
  private final List<Long> changeSeq = new ArrayList<>();
  private final List<String> changeKind = new ArrayList<>();
  private final List<Long> changeAvailable = new ArrayList<>();
  private final List<Long> changePending = new ArrayList<>();
  private final List<Integer> changeTier = new ArrayList<>();
  private final List<Long> changeEntry = new ArrayList<>();
  private final List<Timestamp> changeAt = new ArrayList<>();

  private long[] entryIds = new long[0];
  private long[] lotIds = new long[0];
  private int entryIdsUsed;
  private int lotIdsUsed;

  private static final class NewLot {
    final long accountId;
    final long entryId;
    final long original;
    long remaining;
    final Timestamp expiresAt;

    NewLot(long accountId, long entryId, long original, Timestamp expiresAt) {
      this.accountId = accountId;
      this.entryId = entryId;
      this.original = original;
      this.remaining = original;
      this.expiresAt = expiresAt;
    }
  }

  /** The identity sequences of the entry and lot tables, looked up once. */
  record Sequences(String entries, String lots) {
    static Sequences of(JdbcTemplate jdbc) {
      return jdbc.queryForObject(
          "SELECT pg_get_serial_sequence('loyalty_entry', 'id'), pg_get_serial_sequence('loyalty_lot', 'id')",
          (rs, n) -> new Sequences(rs.getString(1), rs.getString(2)));
    }
  }

  /**
   * @param capacity how many postings the batch may buffer at most (its deferrable work): as many entry
   *     and lot ids are drawn when the first is needed
   */
  DeferredPostings(JdbcTemplate jdbc, Sequences sequences, int capacity) {
    this.jdbc = jdbc;
    this.sequences = sequences;
    this.capacity = capacity;
  }

  boolean isEmpty() {
    return entryId.isEmpty();
  }

  /** An earning with an available lot; answers the entry id. {@code a.account} must already be {@code after}. */
  long earn(PointsLedger.Locked a, PointsLedger.Draft d, PointsLedger.Account after, Instant expiresAt, long[] lotIdOut) {
    long id = nextEntryId();
    long lotId = nextLotId();
    entry(id, a, d);
    newLots.put(lotId, new NewLot(after.id(), id, d.deltaAvailable(), PointsLedger.ts(expiresAt)));
    change(after, d.type(), id, a.now);
    lotIdOut[0] = lotId;
    return id;
  }

  /** A spending entry that takes {@code allocations}; answers the entry id. */
  long spend(PointsLedger.Locked a, PointsLedger.Draft d, PointsLedger.Account after, List<Lots.Allocation> allocations) {
    long id = nextEntryId();
    entry(id, a, d);
    for (Lots.Allocation al : allocations) {
      allocationEntry.add(id);
      allocationLot.add(al.lotId());
      allocationPoints.add(al.points());
      NewLot made = newLots.get(al.lotId());
      if (made != null) {
        made.remaining -= al.points();
        if (made.remaining < 0) {
          throw new IllegalStateException("lot " + al.lotId() + " would go below zero");
        }
      } else {
        taken.merge(al.lotId(), al.points(), Long::sum);
      }
    }
    change(after, d.type(), id, a.now);
    return id;
  }

  private void entry(long id, PointsLedger.Locked a, PointsLedger.Draft d) {
    entryId.add(id);
    entryAccount.add(a.account.id());
    entryProgram.add(a.program.id());
    entryType.add(d.type());
    entryPoints.add(d.points());
    entryAvailable.add(d.deltaAvailable());
    entryPending.add(d.deltaPending());
    entryGrowth.add(d.deltaGrowth());
    entrySource.add(d.key().source());
    entryBusinessType.add(d.key().businessType());
    entryBusinessId.add(d.key().businessId());
    entryConfigVersion.add(a.program.version());
    entryRule.add(PointsLedger.cut(d.rule()));
    entryReason.add(PointsLedger.cut(d.reason()));
    entryActor.add(d.actor());
    entryOccurred.add(PointsLedger.ts(d.occurredAt()));
  }

  private void change(PointsLedger.Account after, String kind, long entry, Instant at) {
    accounts.put(after.id(), after);
    accountsAt.put(after.id(), at);
    changeAccount.add(after.id());
    changeSeq.add(after.changeSeq());
    changeKind.add(kind);
    changeAvailable.add(after.available());
    changePending.add(after.pending());
    changeTier.add(after.tier());
    changeEntry.add(entry);
    changeAt.add(PointsLedger.ts(at));
  }

  private long nextEntryId() {
    if (entryIdsUsed == entryIds.length) {
      drawIds();
    }
    return entryIds[entryIdsUsed++];
  }

  private long nextLotId() {
    if (lotIdsUsed == lotIds.length) {
      drawIds();
    }
    return lotIds[lotIdsUsed++];
  }

  /** PERF: the ids of every posting the batch may buffer, in one round trip. */
  private void drawIds() {
    int n = Math.max(capacity, 1);
    long[] entries = new long[n];
    long[] lots = new long[n];
    int[] i = {0};
    jdbc.query(
        "SELECT nextval(?::regclass), nextval(?::regclass) FROM generate_series(1, ?)",
        rs -> {
          entries[i[0]] = rs.getLong(1);
          lots[i[0]++] = rs.getLong(2);
        },
        sequences.entries(),
        sequences.lots(),
        n);
    // ids not used before are given up (gaps in ids are normal for sequences)
    entryIds = entries;
    lotIds = lots;
    entryIdsUsed = 0;
    lotIdsUsed = 0;
  }

  private static final String FLUSH =
      "WITH e AS (INSERT INTO loyalty_entry (id, account_id, program_id, type, points, delta_available, delta_pending, delta_growth,"
          + " source, business_type, business_id, config_version, rule, reason, actor, occurred_at)"
          + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],"
          + " ?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[])),"
          + " l AS (INSERT INTO loyalty_lot (id, account_id, entry_id, original, remaining, pending, expires_at)"
          + " SELECT id, account_id, entry_id, original, remaining, FALSE, expires_at"
          + " FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::timestamptz[])"
          + " AS s (id, account_id, entry_id, original, remaining, expires_at)),"
          + " al AS (INSERT INTO loyalty_allocation (entry_id, lot_id, points) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[])),"
          + " lt AS (UPDATE loyalty_lot SET remaining = loyalty_lot.remaining - v.taken FROM unnest(?::bigint[], ?::bigint[]) AS v (id, taken)"
          + " WHERE loyalty_lot.id = v.id AND loyalty_lot.remaining >= v.taken RETURNING 1),"
          + " u AS (UPDATE loyalty_account SET available = v.available, pending = v.pending, growth = v.growth, tier = v.tier,"
          + " tier_floor = v.tier_floor, tier_since = v.tier_since, next_review_at = v.next_review_at, change_seq = v.seq, updated_at = v.at"
          + " FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::int[], ?::int[], ?::timestamptz[], ?::timestamptz[],"
          + " ?::bigint[], ?::timestamptz[]) AS v (id, available, pending, growth, tier, tier_floor, tier_since, next_review_at, seq, at)"
          + " WHERE loyalty_account.id = v.id RETURNING 1),"
          + " c AS (INSERT INTO loyalty_account_change (account_id, seq, kind, available, pending, tier, entry_id, at)"
          + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[], ?::int[], ?::bigint[], ?::timestamptz[]))"
          + " SELECT (SELECT COUNT(*) FROM lt), (SELECT COUNT(*) FROM u)";

  /** Writes everything buffered in one statement and empties the buffer. */
  void flush() {
    if (entryId.isEmpty()) {
      return;
    }
    int lotUpdates = taken.size();
    int accountUpdates = accounts.size();
    try {
      jdbc.execute(
          (Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement(FLUSH)) {
              int p = 1;
              p = arrays(c, ps, p, "bigint", entryId, entryAccount, entryProgram);
              p = arrays(c, ps, p, "varchar", entryType);
              p = arrays(c, ps, p, "bigint", entryPoints, entryAvailable, entryPending, entryGrowth);
              p = arrays(c, ps, p, "varchar", entrySource, entryBusinessType, entryBusinessId);
              p = arrays(c, ps, p, "int4", entryConfigVersion);
              p = arrays(c, ps, p, "varchar", entryRule, entryReason, entryActor);
              p = arrays(c, ps, p, "timestamptz", entryOccurred);
              List<Long> lotId = new ArrayList<>(newLots.keySet());
              List<Long> lotAccount = new ArrayList<>();
              List<Long> lotEntry = new ArrayList<>();
              List<Long> lotOriginal = new ArrayList<>();
              List<Long> lotRemaining = new ArrayList<>();
              List<Timestamp> lotExpires = new ArrayList<>();
              for (NewLot l : newLots.values()) {
                lotAccount.add(l.accountId);
                lotEntry.add(l.entryId);
                lotOriginal.add(l.original);
                lotRemaining.add(l.remaining);
                lotExpires.add(l.expiresAt);
              }
              p = arrays(c, ps, p, "bigint", lotId, lotAccount, lotEntry, lotOriginal, lotRemaining);
              p = arrays(c, ps, p, "timestamptz", lotExpires);
              p = arrays(c, ps, p, "bigint", allocationEntry, allocationLot, allocationPoints);
              p = arrays(c, ps, p, "bigint", new ArrayList<>(taken.keySet()), new ArrayList<>(taken.values()));
              List<Long> id = new ArrayList<>();
              List<Long> available = new ArrayList<>();
              List<Long> pending = new ArrayList<>();
              List<Long> growth = new ArrayList<>();
              List<Integer> tier = new ArrayList<>();
              List<Integer> tierFloor = new ArrayList<>();
              List<Timestamp> tierSince = new ArrayList<>();
              List<Timestamp> nextReview = new ArrayList<>();
              List<Long> seq = new ArrayList<>();
              List<Timestamp> at = new ArrayList<>();
              for (PointsLedger.Account x : accounts.values()) {
                id.add(x.id());
                available.add(x.available());
                pending.add(x.pending());
                growth.add(x.growth());
                tier.add(x.tier());
                tierFloor.add(x.tierFloor());
                tierSince.add(PointsLedger.ts(x.tierSince()));
                nextReview.add(PointsLedger.ts(x.nextReviewAt()));
                seq.add(x.changeSeq());
                at.add(PointsLedger.ts(accountsAt.get(x.id())));
              }
              p = arrays(c, ps, p, "bigint", id, available, pending, growth);
              p = arrays(c, ps, p, "int4", tier, tierFloor);
              p = arrays(c, ps, p, "timestamptz", tierSince, nextReview);
              p = arrays(c, ps, p, "bigint", seq);
              p = arrays(c, ps, p, "timestamptz", at);
              p = arrays(c, ps, p, "bigint", changeAccount, changeSeq);
              p = arrays(c, ps, p, "varchar", changeKind);
              p = arrays(c, ps, p, "bigint", changeAvailable, changePending);
              p = arrays(c, ps, p, "int4", changeTier);
              p = arrays(c, ps, p, "bigint", changeEntry);
              arrays(c, ps, p, "timestamptz", changeAt);
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != lotUpdates || rs.getLong(2) != accountUpdates) {
                  throw new Refused(
                      "deferred postings updated " + rs.getLong(1) + " of " + lotUpdates + " lots and " + rs.getLong(2) + " of "
                          + accountUpdates + " accounts",
                      null);
                }
              }
              return null;
            }
          });
    } catch (DataAccessException e) {
      // e.g. an idempotency key already taken (a replay): the batch runs again posting by posting
      throw new Refused("deferred postings refused: " + e.getMostSpecificCause().getMessage(), e);
    }
    clear();
  }

  @SafeVarargs
  private static int arrays(Connection c, PreparedStatement ps, int from, String type, List<?>... columns) throws java.sql.SQLException {
    int p = from;
    for (List<?> column : columns) {
      Array array = c.createArrayOf(type, column.toArray());
      ps.setArray(p++, array);
    }
    return p;
  }

  private void clear() {
    for (List<?> l :
        List.of(
            entryId, entryAccount, entryProgram, entryType, entryPoints, entryAvailable, entryPending, entryGrowth, entrySource,
            entryBusinessType, entryBusinessId, entryConfigVersion, entryRule, entryReason, entryActor, entryOccurred,
            allocationEntry, allocationLot, allocationPoints, changeAccount, changeSeq, changeKind, changeAvailable, changePending,
            changeTier, changeEntry, changeAt)) {
      l.clear();
    }
    newLots.clear();
    taken.clear();
    accounts.clear();
    accountsAt.clear();
  }
}
