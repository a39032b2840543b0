package io.pond.loyalty.ledger;

import io.pond.loyalty.PersonRef;
import io.pond.loyalty.PointsImported;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.ExpiryPolicy;
import io.pond.loyalty.program.domain.TierPolicy;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Batched earning (a migration of points from an old system, a campaign's bulk award): postings are
 * grouped by member and go in chunks cut between members, each chunk in one transaction with its
 * accounts locked in id order and every row written with JDBC batches (on PostgreSQL: one set-based
 * statement per chunk), instead of one transaction per posting. Same ledger as single postings: an EARN entry
 * and a lot each (available at once, expiry by the program's rule), running totals and a change record
 * per account; the idempotency key is (source, {@code import}, business id), so re-running an import
 * posts only what is missing. Accounts are created as needed. Postings for an account that is closed
 * (merged) or owes points (negative balance) take the single-posting path, which follows the merge and
 * pays the debt first. Each chunk publishes one {@link PointsImported} (not a {@link
 * io.pond.loyalty.PointsEarned} per posting); member-connect picks the new balances up in its sweep.
 */
@Component
public class EarningImport {

  static final int CHUNK = 5000;

  /**
   * Chunks written at once. Three keep both cores of the development machine busier than two (the
   * import 6–23 % faster, pairwise over three alternating runs of {@code ./pond bench ledger}); four
   * were slower.
   */
  static final int PARALLEL = 3;

  private final JdbcTemplate jdbc;
  private final PointsLedger ledger;
  private final Programs programs;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final AuditLog audit;
  private final boolean postgres;

  EarningImport(JdbcTemplate jdbc, PointsLedger ledger, Programs programs, Clock clock, ApplicationEventPublisher events, AuditLog audit) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.ledger = ledger;
    this.programs = programs;
    this.clock = clock;
    this.events = events;
    this.postgres =
        Boolean.TRUE.equals(jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")));
  }

  /** One posting to import; {@code businessId} is unique per source. */
  public record Earning(PersonRef person, String businessId, long points, String reason, Instant occurredAt) {}

  /** How many postings were made and how many were there already. */
  public record Result(int posted, int replayed) {}

  /**
   * What is wrong with one row of an import (its field and why), or null: a person id (0 or more),
   * positive points, a business id of 1-200 characters, a reason of at most 500, a time not after
   * {@code now}. The API and {@code ./pond loyalty import-points} check each row with it, so that the
   * good rows are posted and the bad ones answered.
   */
  public static PondException check(String source, Integer personId, String businessId, Long points, String reason, Instant occurredAt,
      Instant now) {
    if (personId == null || personId < 0) {
      return PondException.invalid("personId", "must be a person id (0 or more)");
    }
    if (points == null || points <= 0) {
      return PondException.invalid("points", "must be positive");
    }
    if (reason != null && reason.length() > 500) {
      return PondException.invalid("reason", "at most 500 characters");
    }
    if (occurredAt != null && occurredAt.isAfter(now)) {
      return PondException.invalid("occurredAt", "must not be in the future");
    }
    try {
      new PointsLedger.Key(source, "import", businessId);
    } catch (PondException e) {
      return e;
    }
    return null;
  }

  public Result run(String programCode, String source, List<Earning> earnings) {
    Programs.Program program = programs.get(programCode);
    Instant now = clock.instant();
    for (int i = 0; i < earnings.size(); i++) {
      Earning e = earnings.get(i);
      PondException fault = check(source, e.person().value(), e.businessId(), e.points(), e.reason(), e.occurredAt(), now);
      if (fault != null) {
        throw PondException.invalid("earnings[" + i + "]." + fault.field(), fault.getMessage());
      }
    }
    // a business id given twice is posted once: the later copies count as replayed
    Map<String, Earning> byKey = new LinkedHashMap<>();
    earnings.forEach(e -> byKey.putIfAbsent(e.businessId(), e));
    // PERF: grouped by member (stable: a member's postings keep their order) and cut between members, so
    // that an account is locked, updated and recorded once per import instead of once per chunk it
    // appears in, its entries and lots go to neighbouring index entries, and parallel chunks share no
    // account
    List<Earning> distinct = new ArrayList<>(byKey.values());
    distinct.sort(Comparator.comparingInt(e -> e.person().value()));
    List<List<Earning>> chunks = new ArrayList<>();
    for (int from = 0; from < distinct.size(); ) {
      int to = Math.min(distinct.size(), from + CHUNK);
      while (to < distinct.size() && to - from < 2 * CHUNK && distinct.get(to).person().equals(distinct.get(to - 1).person())) {
        to++;
      }
      chunks.add(distinct.subList(from, to));
      from = to;
    }
    int posted = 0;
    int replayed = earnings.size() - distinct.size();
    for (Result r : runChunks(program, source, chunks)) {
      posted += r.posted();
      replayed += r.replayed();
    }
    return new Result(posted, replayed);
  }

  /**
   * An operator's import (the API, {@code ./pond loyalty import-points}): {@link #run} on the rows that
   * passed {@link #check}, then one audit record with what was posted and how many rows were rejected.
   */
  public Result runAudited(String programCode, String source, List<Earning> earnings, int rejected, String actor) {
    Result result = run(programCode, source, earnings);
    ledger.inTransaction(
        status -> {
          audit.record(actor, "loyalty.points.imported", "loyalty_program:" + programCode,
              "source " + source + ": " + result.posted() + " posted, " + result.replayed() + " already posted, " + rejected + " rejected");
          return null;
        });
    return result;
  }

  /**
   * PERF: {@link #PARALLEL} chunks at a time, each in its own transaction and backend: while the database
   * writes one, the next is prepared and written by another. Chunks share no business id; two that
   * share accounts take their locks in the same order (accounts created in person order, locked in id
   * order), so one waits for the other instead of deadlocking. A chunk that fails stops the import;
   * chunks already committed stay, and running the import again posts only what is missing.
   */
  private List<Result> runChunks(Programs.Program program, String source, List<List<Earning>> chunks) {
    if (chunks.size() <= 1) {
      return chunks.stream().map(c -> ledger.inTransaction(status -> chunk(program, source, c))).toList();
    }
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<Result>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
      for (List<Earning> c : chunks) {
        futures.add(
            pool.submit(
                () -> {
                  if (failed.get()) {
                    return null; // an earlier chunk failed: the import stops
                  }
                  try {
                    return ledger.inTransaction(status -> chunk(program, source, c));
                  } catch (RuntimeException e) {
                    failed.set(true);
                    throw e;
                  }
                }));
      }
    }
    // chunks start in order, so a failed chunk comes before any chunk skipped because of it
    List<Result> results = new ArrayList<>();
    for (Future<Result> f : futures) {
      try {
        results.add(f.get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return results;
  }

  private record Row(long accountId, long available, long changeSeq, Integer mergedInto) {}

  private Result chunk(Programs.Program program, String source, List<Earning> chunk) {
    if (postgres) {
      // PERF: a generic plan for the key and account lookups, cached while the tables were small, is a sequential scan
      jdbc.execute("SET LOCAL plan_cache_mode = force_custom_plan");
    }
    Instant now = clock.instant();
    // the chunk's business ids are distinct (run). PostgreSQL: the entries' insert skips the keys already
    // posted (ON CONFLICT), no query first
    List<Earning> fresh = chunk;
    if (!postgres) {
      Set<String> known =
          Set.copyOf(
              in("SELECT business_id FROM loyalty_entry WHERE program_id = ? AND source = ? AND business_type = 'import' AND business_id %s",
                  List.of(program.id(), source), "varchar", chunk.stream().map(Earning::businessId).toList(), (rs, n) -> rs.getString(1)));
      fresh = chunk.stream().filter(e -> !known.contains(e.businessId())).toList();
    }
    int replayed = chunk.size() - fresh.size();
    if (fresh.isEmpty()) {
      return new Result(0, replayed);
    }
    List<Integer> persons = fresh.stream().map(e -> e.person().value()).distinct().sorted().toList();
    Map<Integer, Row> accounts = lockAccounts(program, persons, now);

    List<Earning> batched = new ArrayList<>();
    int single = 0;
    for (Earning e : fresh) {
      Row row = accounts.get(e.person().value());
      if (row.mergedInto() != null || row.available() < 0) {
        PointsLedger.Outcome.Posted o =
            ledger.withAccount(program.code(), e.person(), true, a -> ledger.earnAvailable(a, "EARN", new PointsLedger.Key(source, "import", e.businessId()),
                e.points(), "import", e.reason(), "import", e.occurredAt()));
        if (o.replayed()) {
          replayed++;
        } else {
          single++;
        }
      } else {
        batched.add(e);
      }
    }
    if (batched.isEmpty()) {
      return new Result(single, replayed);
    }
    Posted posted = postgres ? postSetBased(program, source, batched, accounts, now) : postBatched(program, source, batched, accounts, now);
    replayed += batched.size() - posted.count();
    if (posted.count() > 0) {
      events.publishEvent(
          new PointsImported(program.code(), source, posted.count(), posted.points(), posted.accounts(), posted.firstEntry(), posted.lastEntry(), now));
    }
    return new Result(posted.count() + single, replayed);
  }

  /** What a chunk's batched write posted: entries, points, accounts and the first and last entry id. */
  private record Posted(int count, long points, int accounts, long firstEntry, long lastEntry) {}

  /**
   * Locks the accounts of {@code persons} in id order, creating the missing ones. PERF: the accounts that
   * exist are locked first and only the missing ones are inserted (an insert that finds the account is
   * a wasted index probe and statement); the new ones are then locked like the others. Two chunks on the
   * same persons do not deadlock: each locks what exists before it inserts, and inserts in person order.
   */
  private Map<Integer, Row> lockAccounts(Programs.Program program, List<Integer> persons, Instant now) {
    Map<Integer, Row> accounts = new HashMap<>();
    String lock = "SELECT person_id, id, available, change_seq, merged_into_person FROM loyalty_account WHERE program_id = ? AND person_id %s"
        + " ORDER BY id FOR UPDATE";
    org.springframework.jdbc.core.RowMapper<Row> row =
        (rs, n) -> accounts.put(rs.getInt(1), new Row(rs.getLong(2), rs.getLong(3), rs.getLong(4), (Integer) rs.getObject(5, Integer.class)));
    in(lock, List.of(program.id()), "integer", persons, row);
    List<Integer> missing = persons.stream().filter(p -> !accounts.containsKey(p)).toList();
    if (missing.isEmpty()) {
      return accounts;
    }
    Timestamp at = Timestamp.from(now);
    Timestamp review = Timestamp.from(TierPolicy.nextReview(program.config(), now, now, clock.getZone()));
    if (postgres) {
      // PERF: one statement for the chunk's accounts, not one per account
      jdbc.execute(
          (java.sql.Connection c) -> {
            try (java.sql.PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO loyalty_account (program_id, person_id, available, pending, growth, tier, tier_floor, tier_since,"
                        + " next_review_at, joined_at, change_seq, updated_at) SELECT ?, p, 0, 0, 0, 1, 1, ?, ?, ?, 0, ?"
                        + " FROM unnest(?::integer[]) AS p ON CONFLICT DO NOTHING")) {
              ps.setLong(1, program.id());
              ps.setTimestamp(2, at);
              ps.setTimestamp(3, review);
              ps.setTimestamp(4, at);
              ps.setTimestamp(5, at);
              ps.setArray(6, c.createArrayOf("integer", missing.toArray()));
              return ps.executeUpdate();
            }
          });
    } else {
      jdbc.batchUpdate(
          "INSERT INTO loyalty_account (program_id, person_id, available, pending, growth, tier, tier_floor, tier_since, next_review_at,"
              + " joined_at, change_seq, updated_at) VALUES (?, ?, 0, 0, 0, 1, 1, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING",
          missing,
          missing.size(),
          (ps, person) -> {
            ps.setLong(1, program.id());
            ps.setInt(2, person);
            ps.setTimestamp(3, at);
            ps.setTimestamp(4, review);
            ps.setTimestamp(5, at);
            ps.setTimestamp(6, at);
          });
    }
    in(lock, List.of(program.id()), "integer", missing, row);
    return accounts;
  }

  /**
   * PostgreSQL: the whole chunk in one statement — entries (a key already posted is skipped), their lots,
   * running totals and one change record per account — from arrays ({@code unnest}, typed Java arrays
   * sent in binary; times as epoch microseconds).
   */
  private Posted postSetBased(Programs.Program program, String source, List<Earning> batched, Map<Integer, Row> accounts, Instant now) {
    int n = batched.size();
    Long[] accountIds = new Long[n];
    Long[] points = new Long[n];
    String[] businessIds = new String[n];
    String[] reasons = new String[n];
    Long[] occurred = new Long[n];
    Long[] expires = new Long[n];
    // an import's earnings mostly share their time: the expiry is computed again only when it changes
    Instant expiryFor = null;
    Long expiry = null;
    for (int i = 0; i < n; i++) {
      Earning e = batched.get(i);
      accountIds[i] = accounts.get(e.person().value()).accountId();
      points[i] = e.points();
      businessIds[i] = e.businessId();
      reasons[i] = e.reason();
      occurred[i] = DeferredPostings.micros(e.occurredAt());
      if (!e.occurredAt().equals(expiryFor)) {
        expiryFor = e.occurredAt();
        expiry = DeferredPostings.micros(ExpiryPolicy.expiresAt(program.config().expiry(), expiryFor, clock.getZone()));
      }
      expires[i] = expiry;
    }
    String sql =
        "WITH src AS (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[])"
            + " AS s (account_id, points, business_id, reason, occurred_at, expires_at)),"
            + " e AS (INSERT INTO loyalty_entry (account_id, program_id, type, points, delta_available, delta_pending, delta_growth, source,"
            + " business_type, business_id, config_version, rule, reason, actor, occurred_at)"
            + " SELECT account_id, ?, 'EARN', points, points, 0, 0, ?, 'import', business_id, ?, 'import', reason, 'import',"
            + " " + DeferredPostings.at("occurred_at") + " FROM src"
            + " ON CONFLICT (program_id, source, business_type, business_id) DO NOTHING"
            + " RETURNING id, account_id, points, business_id),"
            + " l AS (INSERT INTO loyalty_lot (account_id, entry_id, original, remaining, pending, expires_at)"
            + " SELECT e.account_id, e.id, e.points, e.points, FALSE, " + DeferredPostings.at("src.expires_at")
            + " FROM e JOIN src ON src.business_id = e.business_id RETURNING id),"
            + " t AS (SELECT account_id, SUM(points) AS points, MAX(id) AS last_entry FROM e GROUP BY account_id),"
            + " u AS (UPDATE loyalty_account a SET available = a.available + t.points, change_seq = a.change_seq + 1, updated_at = ?"
            + " FROM t WHERE a.id = t.account_id RETURNING a.id, a.change_seq, a.available, a.pending, a.tier, t.last_entry),"
            + " c AS (INSERT INTO loyalty_account_change (account_id, seq, kind, available, pending, tier, entry_id, at)"
            + " SELECT id, change_seq, 'EARN', available, pending, tier, last_entry, ? FROM u)"
            + " SELECT (SELECT COUNT(*) FROM e), (SELECT COUNT(*) FROM l), (SELECT COALESCE(SUM(points), 0) FROM e),"
            + " (SELECT COUNT(*) FROM t), (SELECT MIN(id) FROM e), (SELECT MAX(id) FROM e)";
    Timestamp at = Timestamp.from(now);
    return jdbc.execute(
        (java.sql.Connection c) -> {
          try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, accountIds);
            ps.setObject(2, points);
            ps.setObject(3, businessIds);
            ps.setObject(4, reasons);
            ps.setObject(5, occurred);
            ps.setObject(6, expires);
            ps.setLong(7, program.id());
            ps.setString(8, source);
            ps.setInt(9, program.version());
            ps.setTimestamp(10, at);
            ps.setTimestamp(11, at);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
              rs.next();
              if (rs.getLong(1) != rs.getLong(2)) {
                throw new IllegalStateException("import chunk wrote " + rs.getLong(1) + " entries and " + rs.getLong(2) + " lots");
              }
              return new Posted(rs.getInt(1), rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getLong(6));
            }
          }
        });
  }

  /** Elsewhere: every table written with JDBC batches. */
  private Posted postBatched(Programs.Program program, String source, List<Earning> batched, Map<Integer, Row> accounts, Instant now) {
    Timestamp at = Timestamp.from(now);
    jdbc.batchUpdate(
        "INSERT INTO loyalty_entry (account_id, program_id, type, points, delta_available, delta_pending, delta_growth, source,"
            + " business_type, business_id, config_version, rule, reason, actor, occurred_at)"
            + " VALUES (?, ?, 'EARN', ?, ?, 0, 0, ?, 'import', ?, ?, 'import', ?, 'import', ?)",
        batched,
        batched.size(),
        (ps, e) -> {
          ps.setLong(1, accounts.get(e.person().value()).accountId());
          ps.setLong(2, program.id());
          ps.setLong(3, e.points());
          ps.setLong(4, e.points());
          ps.setString(5, source);
          ps.setString(6, e.businessId());
          ps.setInt(7, program.version());
          ps.setString(8, e.reason());
          ps.setTimestamp(9, Timestamp.from(e.occurredAt()));
        });
    Map<String, Long> entryIds = new HashMap<>();
    in("SELECT business_id, id FROM loyalty_entry WHERE program_id = ? AND source = ? AND business_type = 'import' AND business_id %s",
        List.of(program.id(), source), "varchar", batched.stream().map(Earning::businessId).toList(),
        (rs, n) -> entryIds.put(rs.getString(1), rs.getLong(2)));
    jdbc.batchUpdate(
        "INSERT INTO loyalty_lot (account_id, entry_id, original, remaining, pending, expires_at) VALUES (?, ?, ?, ?, FALSE, ?)",
        batched,
        batched.size(),
        (ps, e) -> {
          ps.setLong(1, accounts.get(e.person().value()).accountId());
          ps.setLong(2, entryIds.get(e.businessId()));
          ps.setLong(3, e.points());
          ps.setLong(4, e.points());
          Instant expires = ExpiryPolicy.expiresAt(program.config().expiry(), e.occurredAt(), clock.getZone());
          ps.setTimestamp(5, expires == null ? null : Timestamp.from(expires));
        });
    Map<Integer, Long> added = batched.stream().collect(Collectors.groupingBy(e -> e.person().value(), Collectors.summingLong(Earning::points)));
    Map<Integer, Long> lastEntry = new HashMap<>();
    batched.forEach(e -> lastEntry.merge(e.person().value(), entryIds.get(e.businessId()), Math::max));
    List<Integer> touched = new ArrayList<>(added.keySet());
    Collections.sort(touched);
    jdbc.batchUpdate(
        "UPDATE loyalty_account SET available = available + ?, change_seq = change_seq + 1, updated_at = ? WHERE id = ?",
        touched,
        touched.size(),
        (ps, person) -> {
          ps.setLong(1, added.get(person));
          ps.setTimestamp(2, at);
          ps.setLong(3, accounts.get(person).accountId());
        });
    jdbc.batchUpdate(
        "INSERT INTO loyalty_account_change (account_id, seq, kind, available, pending, tier, entry_id, at)"
            + " SELECT id, change_seq, 'EARN', available, pending, tier, ?, ? FROM loyalty_account WHERE id = ?",
        touched,
        touched.size(),
        (ps, person) -> {
          ps.setLong(1, lastEntry.get(person));
          ps.setTimestamp(2, at);
          ps.setLong(3, accounts.get(person).accountId());
        });
    long first = entryIds.values().stream().mapToLong(Long::longValue).min().orElse(0);
    long last = entryIds.values().stream().mapToLong(Long::longValue).max().orElse(0);
    return new Posted(batched.size(), batched.stream().mapToLong(Earning::points).sum(), touched.size(), first, last);
  }

  /**
   * Runs a query whose {@code %s} is a membership test of {@code values} ({@code sqlType}), after the
   * fixed {@code params}: on PostgreSQL {@code = ANY(array)}, one parameter whose plan does not depend on
   * how many values there are; elsewhere an IN list.
   */
  private <T> List<T> in(String sql, List<Object> params, String sqlType, List<?> values, org.springframework.jdbc.core.RowMapper<T> mapper) {
    if (postgres) {
      return jdbc.execute(
          (java.sql.Connection c) -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql.formatted("= ANY(?::" + sqlType + "[])"))) {
              int i = 1;
              for (Object p : params) {
                ps.setObject(i++, p);
              }
              ps.setArray(i, c.createArrayOf(sqlType, values.toArray()));
              List<T> rows = new ArrayList<>();
              try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  rows.add(mapper.mapRow(rs, rows.size()));
                }
              }
              return rows;
            }
          });
    }
    String placeholders = "IN (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")";
    List<Object> all = new ArrayList<>(params);
    all.addAll(values);
    return jdbc.query(sql.formatted(placeholders), mapper, all.toArray());
  }
}
