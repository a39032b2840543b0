package io.pond.loyalty.ledger;

import io.pond.loyalty.ledger.domain.Lots;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
  private final List<Long> entryOccurred = new ArrayList<>();
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
  private final List<Long> changeAt = new ArrayList<>();

  private long[] entryIds = new long[0];
  private long[] lotIds = new long[0];
  private int entryIdsUsed;
  private int lotIdsUsed;

  private static final class NewLot {
    final long accountId;
    final long entryId;
    final long original;
    long remaining;
    final Long expiresAt;

    NewLot(long accountId, long entryId, long original, Long expiresAt) {
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
    newLots.put(lotId, new NewLot(after.id(), id, d.deltaAvailable(), micros(expiresAt)));
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
    entryOccurred.add(micros(d.occurredAt()));
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
    changeAt.add(micros(at));
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
    entryIds = entries;
    lotIds = lots;
    entryIdsUsed = 0;
    lotIdsUsed = 0;
  }

  /**
   * SQL for a column of epoch microseconds (bound as bigint, {@link #micros}) as a timestamp, exactly.
   * PERF: PgJDBC sends a bigint array in binary; a timestamp array is rendered as text value by value.
   */
  static String at(String column) {
    return "TIMESTAMPTZ 'epoch' + " + column + " * INTERVAL '1 microsecond'";
  }

  /** Epoch microseconds of {@code instant}, or null. */
  static Long micros(Instant instant) {
    return instant == null ? null : Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }

  /** The instant {@code micros} epoch microseconds after the epoch ({@link #micros}'s inverse). */
  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static final String FLUSH =
      "WITH e AS (INSERT INTO loyalty_entry (id, account_id, program_id, type, points, delta_available, delta_pending, delta_growth,"
          + " source, business_type, business_id, config_version, rule, reason, actor, occurred_at)"
          + " SELECT id, account_id, program_id, type, points, delta_available, delta_pending, delta_growth, source, business_type,"
          + " business_id, config_version, rule, reason, actor, " + at("occurred_at")
          + " FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],"
          + " ?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[])"
          + " AS s (id, account_id, program_id, type, points, delta_available, delta_pending, delta_growth, source, business_type,"
          + " business_id, config_version, rule, reason, actor, occurred_at)),"
          + " l AS (INSERT INTO loyalty_lot (id, account_id, entry_id, original, remaining, pending, expires_at)"
          + " SELECT id, account_id, entry_id, original, remaining, FALSE, " + at("expires_at")
          + " FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])"
          + " AS s (id, account_id, entry_id, original, remaining, expires_at)),"
          + " al AS (INSERT INTO loyalty_allocation (entry_id, lot_id, points) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[])),"
          + " lt AS (UPDATE loyalty_lot SET remaining = loyalty_lot.remaining - v.taken FROM unnest(?::bigint[], ?::bigint[]) AS v (id, taken)"
          + " WHERE loyalty_lot.id = v.id AND loyalty_lot.remaining >= v.taken RETURNING 1),"
          + " u AS (UPDATE loyalty_account SET available = v.available, pending = v.pending, growth = v.growth, tier = v.tier,"
          + " tier_floor = v.tier_floor, tier_since = " + at("v.tier_since") + ", next_review_at = " + at("v.next_review_at")
          + ", change_seq = v.seq, updated_at = " + at("v.at")
          + " FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::int[], ?::int[], ?::bigint[], ?::bigint[],"
          + " ?::bigint[], ?::bigint[]) AS v (id, available, pending, growth, tier, tier_floor, tier_since, next_review_at, seq, at)"
          + " WHERE loyalty_account.id = v.id RETURNING 1),"
          + " c AS (INSERT INTO loyalty_account_change (account_id, seq, kind, available, pending, tier, entry_id, at)"
          + " SELECT account_id, seq, kind, available, pending, tier, entry_id, " + at("at")
          + " FROM unnest(?::bigint[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[], ?::int[], ?::bigint[], ?::bigint[])"
          + " AS v (account_id, seq, kind, available, pending, tier, entry_id, at))"
          + " SELECT (SELECT COUNT(*) FROM lt), (SELECT COUNT(*) FROM u)";

  /** Writes everything buffered in one statement and empties the buffer. */
  void flush() {
    // ids drawn but not used are given up: a posting after this point, deferred or not, gets an id above
    // every entry written so far (an account's entries keep their order by id)
    entryIdsUsed = entryIds.length;
    lotIdsUsed = lotIds.length;
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
              p = longs(ps, p, entryId, entryAccount, entryProgram);
              p = strings(ps, p, entryType);
              p = longs(ps, p, entryPoints, entryAvailable, entryPending, entryGrowth);
              p = strings(ps, p, entrySource, entryBusinessType, entryBusinessId);
              ps.setObject(p++, entryConfigVersion.toArray(new Integer[0]));
              p = strings(ps, p, entryRule, entryReason, entryActor);
              p = longs(ps, p, entryOccurred);
              int lots = newLots.size();
              Long[] lotId = new Long[lots];
              Long[] lotAccount = new Long[lots];
              Long[] lotEntry = new Long[lots];
              Long[] lotOriginal = new Long[lots];
              Long[] lotRemaining = new Long[lots];
              Long[] lotExpires = new Long[lots];
              int i = 0;
              for (Map.Entry<Long, NewLot> e : newLots.entrySet()) {
                NewLot l = e.getValue();
                lotId[i] = e.getKey();
                lotAccount[i] = l.accountId;
                lotEntry[i] = l.entryId;
                lotOriginal[i] = l.original;
                lotRemaining[i] = l.remaining;
                lotExpires[i++] = l.expiresAt;
              }
              for (Long[] column : List.of(lotId, lotAccount, lotEntry, lotOriginal, lotRemaining, lotExpires)) {
                ps.setObject(p++, column);
              }
              p = longs(ps, p, allocationEntry, allocationLot, allocationPoints);
              ps.setObject(p++, taken.keySet().toArray(new Long[0]));
              ps.setObject(p++, taken.values().toArray(new Long[0]));
              int n = accounts.size();
              Long[] id = new Long[n];
              Long[] available = new Long[n];
              Long[] pending = new Long[n];
              Long[] growth = new Long[n];
              Integer[] tier = new Integer[n];
              Integer[] tierFloor = new Integer[n];
              Long[] tierSince = new Long[n];
              Long[] nextReview = new Long[n];
              Long[] seq = new Long[n];
              Long[] at = new Long[n];
              i = 0;
              for (PointsLedger.Account x : accounts.values()) {
                id[i] = x.id();
                available[i] = x.available();
                pending[i] = x.pending();
                growth[i] = x.growth();
                tier[i] = x.tier();
                tierFloor[i] = x.tierFloor();
                tierSince[i] = micros(x.tierSince());
                nextReview[i] = micros(x.nextReviewAt());
                seq[i] = x.changeSeq();
                at[i++] = micros(accountsAt.get(x.id()));
              }
              for (Object column : List.of(id, available, pending, growth, tier, tierFloor, tierSince, nextReview, seq, at)) {
                ps.setObject(p++, column);
              }
              p = longs(ps, p, changeAccount, changeSeq);
              p = strings(ps, p, changeKind);
              p = longs(ps, p, changeAvailable, changePending);
              ps.setObject(p++, changeTier.toArray(new Integer[0]));
              p = longs(ps, p, changeEntry, changeAt);
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

  /** PERF: typed Java arrays, which PgJDBC sends as arrays in binary; no text rendering of each value. */
  @SafeVarargs
  private static int longs(PreparedStatement ps, int from, List<Long>... columns) throws java.sql.SQLException {
    int p = from;
    for (List<Long> column : columns) {
      ps.setObject(p++, column.toArray(new Long[0]));
    }
    return p;
  }

  @SafeVarargs
  private static int strings(PreparedStatement ps, int from, List<String>... columns) throws java.sql.SQLException {
    int p = from;
    for (List<String> column : columns) {
      ps.setObject(p++, column.toArray(new String[0]));
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
