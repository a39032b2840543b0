package io.pond.loyalty.ledger;

import io.pond.loyalty.OrderPoints;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.PointsActivated;
import io.pond.loyalty.PointsChange;
import io.pond.loyalty.PointsClawedBack;
import io.pond.loyalty.PointsEarned;
import io.pond.loyalty.PointsExpired;
import io.pond.loyalty.PointsPosted;
import io.pond.loyalty.PointsRedeemed;
import io.pond.loyalty.TierChanged;
import io.pond.loyalty.ledger.domain.Lots;
import io.pond.loyalty.ledger.domain.RefundPolicy;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.EarningPolicy;
import io.pond.loyalty.program.domain.ExpiryPolicy;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.loyalty.program.domain.TierPolicy;
import io.pond.platform.errors.PondException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The points ledger. Every change is an append-only entry posted while the account row is locked
 * ({@code SELECT … FOR UPDATE}), so changes to one account are serialised: parallel redemptions
 * never overspend. Each entry carries an idempotency key (source, business type, business id),
 * unique in the database; replaying an input finds the first entry and changes nothing. Lots hold
 * what was earned; no lot ever goes below zero (a CHECK constraint backs the code).
 */
@Component
public class PointsLedger {

  private static final int ATTEMPTS = 20;

  private final JdbcClient jdbc;
  /** PostgreSQL: writes a combined batch's deferred postings (arrays need the connection); null elsewhere. */
  private final org.springframework.jdbc.core.JdbcTemplate bulk;
  private volatile DeferredPostings.Sequences sequences;
  private final TransactionTemplate tx;
  private final TransactionTemplate txNew;
  private final Programs programs;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final PostingCombiner combiner;
  private final LedgerEventBatches changeBatches;
  private final java.util.Set<Long> knownAccounts = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Programs by code as last read; a combined batch checks the version when it locks its accounts. */
  private final java.util.Map<String, Programs.Program> lastSeenPrograms = new java.util.concurrent.ConcurrentHashMap<>();
  /** PostgreSQL: a posting is one statement (data-modifying CTEs); elsewhere one statement per row. */
  private final boolean postgres;
  /** Available lots a combined batch reads ahead per posting of an account ({@link #PREFETCHED_LOTS}). */
  private final int prefetchedLots;
  /** PostgreSQL: accounts' first lots as combined batches committed them (null on an embedded store). */
  private final CachedLots cachedLots;

  /** A ledger on an embedded (non-PostgreSQL) store with the default number of lanes. */
  public PointsLedger(
      JdbcClient jdbc, PlatformTransactionManager transactions, Programs programs, Clock clock, ApplicationEventPublisher events) {
    this(jdbc, transactions, programs, clock, events, null, 8, null, PREFETCHED_LOTS);
  }

  @org.springframework.beans.factory.annotation.Autowired
  PointsLedger(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      Programs programs,
      Clock clock,
      ApplicationEventPublisher events,
      javax.sql.DataSource dataSource,
      LedgerEventBatches changeBatches,
      @org.springframework.beans.factory.annotation.Value("${pond.loyalty.ledger.lanes:0}") int lanes) {
    this(jdbc, transactions, programs, clock, events, dataSource, lanes > 0 ? lanes : defaultLanes(), changeBatches, PREFETCHED_LOTS);
  }

  /**
   * PERF: one lane per two processors (at least one). A lane's batch keeps a JVM thread and a database
   * backend busy in turn, and every batch pays a lock statement, a commit and a publication whatever its
   * size: on 2 cores with 16 clients, one lane made batches of 10.9 postings where two made 6.5, and cost
   * 792 + 604 µs of JVM + PostgreSQL CPU per posting on many accounts where two lanes cost 879 + 749 µs.
   */
  static int defaultLanes() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /**
   * A ledger on {@code dataSource} (PostgreSQL or embedded), e.g. for tests outside Spring;
   * {@code prefetchedLots} as {@link #PREFETCHED_LOTS} (a property test sets it low, so that batches
   * often hold only some of an account's lots).
   */
  public PointsLedger(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      Programs programs,
      Clock clock,
      ApplicationEventPublisher events,
      javax.sql.DataSource dataSource,
      int lanes,
      int prefetchedLots) {
    this(jdbc, transactions, programs, clock, events, dataSource, lanes, new LedgerEventBatches(jdbc, clock), prefetchedLots);
  }

  private PointsLedger(
      JdbcClient jdbc,
      PlatformTransactionManager transactions,
      Programs programs,
      Clock clock,
      ApplicationEventPublisher events,
      javax.sql.DataSource dataSource,
      int lanes,
      LedgerEventBatches changeBatches,
      int prefetchedLots) {
    this.combiner = new PostingCombiner(lanes);
    this.prefetchedLots = Math.max(1, prefetchedLots);
    this.changeBatches = changeBatches != null ? changeBatches : new LedgerEventBatches(jdbc, clock);
    this.postgres = dataSource != null && isPostgres(dataSource);
    this.bulk = postgres ? new org.springframework.jdbc.core.JdbcTemplate(dataSource) : null;
    this.cachedLots = postgres ? new CachedLots(CACHED_ACCOUNTS, 4 * this.prefetchedLots) : null;
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
    this.txNew = new TransactionTemplate(transactions);
    this.txNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.programs = programs;
    this.clock = clock;
    this.events = events;
  }

  private static boolean isPostgres(javax.sql.DataSource dataSource) {
    try (java.sql.Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the database's product name", e);
    }
  }

  public record Key(String source, String businessType, String businessId) {
    /** The key made unique per member: business ids of member actions (sign-ins, redemptions) are often per member. */
    Key of(PersonRef person) {
      return new Key(source, businessType, person.value() + "/" + businessId);
    }

    public Key {
      if (source == null || source.isBlank() || source.length() > 64) {
        throw PondException.invalid("source", "must be 1-64 characters");
      }
      if (businessId == null || businessId.isBlank() || businessId.length() > 200) {
        throw PondException.invalid("businessId", "must be 1-200 characters");
      }
    }
  }

  /** What a posting did. */
  public sealed interface Outcome permits Outcome.Posted, Outcome.Rejected {
    record Posted(long entryId, long points, boolean replayed, String explanation) implements Outcome {}

    /** Nothing was posted; {@code reason} is stable (e.g. {@code insufficient_points}). */
    record Rejected(String reason, String detail) implements Outcome {}
  }

  /** An account row as locked for a change. */
  public record Account(
      long id,
      long programId,
      int personId,
      long available,
      long pending,
      long growth,
      int tier,
      int tierFloor,
      Instant tierSince,
      Instant nextReviewAt,
      Instant joinedAt,
      long changeSeq) {}

  static Account account(ResultSet rs, int n) throws SQLException {
    return new Account(
        rs.getLong("id"),
        rs.getLong("program_id"),
        rs.getInt("person_id"),
        rs.getLong("available"),
        rs.getLong("pending"),
        rs.getLong("growth"),
        rs.getInt("tier"),
        rs.getInt("tier_floor"),
        rs.getTimestamp("tier_since").toInstant(),
        rs.getTimestamp("next_review_at").toInstant(),
        rs.getTimestamp("joined_at").toInstant(),
        rs.getLong("change_seq"));
  }

  /** One account, locked for the rest of the transaction; what other parts of loyalty may do with it. */
  public final class Locked {
    final Programs.Program program;
    final ProgramConfig config;
    final Instant now;
    Account account;
    /**
     * PERF: the account's available lots as the one-statement postings left them (PostgreSQL), so that
     * the next redemption of a combined batch needs no query; any other change of lots drops it.
     */
    List<Lots.Balance> lots;
    /**
     * Whether {@link #lots} holds every available lot of the account; otherwise it holds the first ones
     * in redemption order (a prefix: the lots not held all come after the last one held).
     */
    boolean lotsComplete = true;

    Locked(Programs.Program program, Account account, Instant now) {
      this.program = program;
      this.config = program.config();
      this.account = account;
      this.now = now;
    }

    PersonRef person() {
      return new PersonRef(account.personId());
    }

    public long accountId() {
      return account.id();
    }

    public long programId() {
      return program.id();
    }

    public Instant now() {
      return now;
    }

    public ProgramConfig config() {
      return config;
    }

    public Outcome redeem(Key key, long points, String reason, String actor) {
      return redeemLocked(this, key, points, reason, actor);
    }

    public Outcome reverse(long redeemEntryId, String reason, String actor) {
      return reverseLocked(this, redeemEntryId, reason, actor);
    }
  }

  // ---------------------------------------------------------------- transactions and locking

  /** Runs {@code work} in a transaction, retried on lock timeouts and deadlocks (unless nested). */
  public <T> T inTransaction(Function<org.springframework.transaction.TransactionStatus, T> work) {
    if (TransactionSynchronizationManager.isActualTransactionActive()) {
      return tx.execute(work::apply);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return tx.execute(work::apply);
      } catch (PessimisticLockingFailureException | QueryTimeoutException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
        sleep(attempt);
      }
    }
  }

  private static void sleep(int attempt) {
    try {
      Thread.sleep(Math.min(200, 5L * attempt + (long) (Math.random() * 10)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code work} with the account of {@code person} locked, creating the account when asked. */
  public <T> T withAccount(String programCode, PersonRef person, boolean create, Function<Locked, T> work) {
    return withAccount(programCode, person, create, false, work);
  }

  /**
   * @param deferrable the work only posts through this class (an event earning, a redemption), so that
   *     in a combined batch on PostgreSQL its rows may be written with the batch's others at its end
   */
  private <T> T withAccount(String programCode, PersonRef person, boolean create, boolean deferrable, Function<Locked, T> work) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      // PERF: the program as last read, not a query per posting: the batch reads the program's current
      // version in the statement that locks its accounts and reloads the program when it changed.
      // Creating an account (rare) reads the program first, as the account's review date depends on it.
      Programs.Program program = lastSeenPrograms.get(programCode);
      if (program == null || (create && !knownAccounts.contains(accountKey(program.id(), person.value())))) {
        program = programs.get(programCode);
        lastSeenPrograms.put(programCode, program);
      }
      if (create) {
        ensureAccount(program, person.value());
      }
      // PERF: postings of many callers and accounts are combined into one transaction (group commit)
      Target target = new Target(program, person);
      return combiner.submit(target.hashCode(), target, deferrable, this::runBatch, work);
    }
    Programs.Program program = programs.get(programCode);
    if (create) {
      ensureAccount(program, person.value());
    }
    return inTransaction(status -> work.apply(locked(program, person)));
  }

  /**
   * The account a combined posting is for: a program and a person. PERF: equal by the program's id, not
   * by the whole program record (whose hash walks its configuration), as a batch looks targets up by
   * hash for every posting; the batch locks with the program's current version anyway.
   */
  private record Target(Programs.Program program, PersonRef person) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Target t && t.program.id() == program.id() && t.person.equals(person);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(program.id()) * 31 + person.value();
    }
  }

  /**
   * Runs a combined batch in one transaction: every account of the batch is locked at once (one
   * statement per program, in id order, so that batches of different lanes cannot deadlock), then
   * each piece of work runs in its caller's order on its account.
   *
   * <p>PERF (PostgreSQL): event earnings and redemptions of a batch are written together at its end
   * ({@link DeferredPostings}); when that write is refused (a replayed key), the batch runs again with
   * every posting written at once, where replays are found as always.
   */
  private void runBatch(List<PostingCombiner.Work> batch, Object[] results) {
    int deferrable = 0;
    for (PostingCombiner.Work w : batch) {
      deferrable += w.deferrable() ? 1 : 0;
    }
    if (bulk != null && deferrable > 1) {
      try {
        runBatch(batch, results, deferrable);
        return;
      } catch (DeferredPostings.Refused refused) {
        // a replay or a key taken by another member among the deferred postings: posting by posting
      }
    }
    runBatch(batch, results, 0);
  }

  private void runBatch(List<PostingCombiner.Work> batch, Object[] results, int deferrable) {
    Batch committed = inTransaction(
        status -> {
          DeferredPostings deferred = deferrable > 0 ? new DeferredPostings(bulk, sequences(), deferrable) : null;
          Batch locked = new Batch(lockAll(batch), deferred);
          locked.byTarget().values().forEach(l -> locked.byAccount().putIfAbsent(l.account.id(), l));
          // work that posts again to an account of the batch (nested withAccount) must see the same state
          TransactionSynchronizationManager.bindResource(this, locked);
          try {
            for (int i = 0; i < batch.size(); i++) {
              PostingCombiner.Work w = batch.get(i);
              // other work (and other modules' statements) sees every posting before it
              locked.deferring = deferred != null && w.deferrable();
              if (!locked.deferring) {
                flushDeferred();
              }
              try {
                Target t = (Target) w.target();
                results[i] = w.work().apply(locked(t.program(), t.person()));
              } catch (DeferredPostings.Refused e) {
                throw e;
              } catch (RuntimeException e) {
                if (batch.size() == 1) {
                  throw e;
                }
                throw new PostingCombiner.WorkFailed(i, e);
              } finally {
                locked.deferring = false;
              }
            }
            flushDeferred();
            announce(locked.changes());
          } finally {
            TransactionSynchronizationManager.unbindResource(this);
          }
          return locked;
        });
    remember(committed, batch);
  }

  /**
   * After a combined batch committed: its accounts' first lots, for the next batch that posts to them
   * ({@link CachedLots}). Only batches of event earnings and redemptions are remembered, whose every
   * change of lots keeps the batch's copy ({@link Locked#lots}) as the database holds it; other work
   * may change lots without it, so their accounts are forgotten.
   */
  private void remember(Batch committed, List<PostingCombiner.Work> batch) {
    if (cachedLots == null || TransactionSynchronizationManager.isActualTransactionActive()) {
      return; // (inside another transaction it has not committed yet)
    }
    boolean tracked = batch.stream().allMatch(PostingCombiner.Work::deferrable);
    for (Locked l : committed.byAccount().values()) {
      if (tracked && l.lots != null) {
        cachedLots.put(l.account.id(), l.account.changeSeq(), l.lots, l.lotsComplete);
      } else {
        cachedLots.remove(l.account.id());
      }
    }
  }

  private DeferredPostings.Sequences sequences() {
    DeferredPostings.Sequences s = sequences;
    if (s == null) {
      s = DeferredPostings.Sequences.of(bulk);
      sequences = s;
    }
    return s;
  }

  /**
   * The accounts a combined batch locked, by the person asked for and by account id (a merged person's
   * is the survivor's), the points events its postings made, announced once before the commit, and its
   * deferred postings (PostgreSQL; null when every posting is written at once).
   */
  private static final class Batch {
    private final java.util.Map<Target, Locked> byTarget;
    private final java.util.Map<Long, Locked> byAccount = new java.util.HashMap<>();
    private final List<PointsChange> changes = new java.util.ArrayList<>();
    final DeferredPostings deferred;
    /** True while a piece of work whose postings may be deferred runs. */
    boolean deferring;

    Batch(java.util.Map<Target, Locked> byTarget, DeferredPostings deferred) {
      this.byTarget = byTarget;
      this.deferred = deferred;
    }

    java.util.Map<Target, Locked> byTarget() {
      return byTarget;
    }

    java.util.Map<Long, Locked> byAccount() {
      return byAccount;
    }

    List<PointsChange> changes() {
      return changes;
    }
  }

  /** The deferred postings of the current batch while a deferrable piece of work runs, else null. */
  private DeferredPostings deferring() {
    Batch batch = (Batch) TransactionSynchronizationManager.getResource(this);
    return batch != null && batch.deferring ? batch.deferred : null;
  }

  /** Writes the current batch's deferred postings, if any, so that the next statement sees them. */
  private void flushDeferred() {
    Batch batch = (Batch) TransactionSynchronizationManager.getResource(this);
    if (batch != null && batch.deferred != null) {
      batch.deferred.flush();
    }
  }

  /** Every statement of the ledger: deferred postings are written first. */
  private JdbcClient.StatementSpec sql(String sql) {
    flushDeferred();
    return jdbc.sql(sql);
  }

  /**
   * Publishes a points event in the current transaction; inside a combined batch it is held back and
   * published with the batch's others ({@link #announce}).
   */
  private void publish(PointsChange change) {
    Batch batch = (Batch) TransactionSynchronizationManager.getResource(this);
    if (batch != null) {
      batch.changes().add(change);
    } else {
      events.publishEvent(change);
    }
  }

  /**
   * A combined batch's points events: one alone is published as it is; several are stored as one row
   * and announced by one {@link PointsPosted}.
   *
   * <p>PERF: a publication is a registry row (JSON) in this transaction and, after commit, a transaction
   * of each asynchronous listener (the profile timeline) and two of the registry; one per posting made
   * the events, not the ledger, the limit of a busy ledger.
   */
  private void announce(List<PointsChange> changes) {
    if (changes.size() == 1) {
      events.publishEvent(changes.getFirst());
    } else if (changes.size() > 1) {
      events.publishEvent(new PointsPosted(changeBatches.store(changes), changes.size(), clock.instant()));
    }
  }

  /** Locks the open accounts of a batch, one statement per program; merged accounts are left to {@link #lock}. */
  private java.util.Map<Target, Locked> lockAll(List<PostingCombiner.Work> batch) {
    java.util.Map<Target, Locked> locked = new java.util.HashMap<>();
    java.util.Map<Long, List<Target>> byProgram = new java.util.LinkedHashMap<>();
    for (PostingCombiner.Work w : batch) {
      Target t = (Target) w.target();
      List<Target> targets = byProgram.computeIfAbsent(t.program().id(), k -> new java.util.ArrayList<>());
      if (!targets.contains(t)) {
        targets.add(t);
      }
    }
    Instant now = clock.instant();
    for (List<Target> targets : byProgram.values()) {
      Programs.Program asked = targets.get(0).program();
      List<Object> params = new java.util.ArrayList<>();
      params.add(asked.id());
      String in;
      if (postgres) {
        // PERF: one statement whatever the batch's size, so its plan is prepared once
        params.add(targets.stream().mapToInt(t -> t.person().value()).toArray());
        in = "= ANY(?)";
      } else {
        targets.forEach(t -> params.add(t.person().value()));
        in = "IN (" + String.join(", ", java.util.Collections.nCopies(targets.size(), "?")) + ")";
      }
      record Row(Account account, boolean merged, int programVersion) {}
      List<Row> rows =
          sql(
                  "SELECT a.*, (SELECT p.current_version FROM loyalty_program p WHERE p.id = a.program_id) AS program_version"
                      + " FROM loyalty_account a WHERE a.program_id = ? AND a.person_id " + in + " ORDER BY a.id FOR UPDATE")
              .params(params)
              .query((rs, n) -> new Row(account(rs, n), rs.getObject("merged_into_person") != null, rs.getInt("program_version")))
              .list();
      Programs.Program program = asked;
      if (rows.stream().anyMatch(r -> r.programVersion() != asked.version())) {
        program = current(asked);
      }
      for (Row row : rows) {
        if (!row.merged()) {
          locked.put(new Target(asked, new PersonRef(row.account().personId())), new Locked(program, row.account(), now));
        }
      }
    }
    if (postgres && !locked.isEmpty()) {
      java.util.Map<Locked, Integer> postings = new java.util.HashMap<>();
      for (PostingCombiner.Work w : batch) {
        Locked l = locked.get((Target) w.target());
        if (l != null) {
          postings.merge(l, 1, Integer::sum);
        }
      }
      prefetchLots(withCachedLots(postings));
    }
    return locked;
  }

  /**
   * Gives the accounts whose lots {@link CachedLots} holds at their current change sequence (enough of
   * them for their postings) those lots; answers the others.
   */
  private java.util.Map<Locked, Integer> withCachedLots(java.util.Map<Locked, Integer> postings) {
    java.util.Map<Locked, Integer> unknown = new java.util.HashMap<>();
    postings.forEach(
        (l, n) -> {
          CachedLots.Snapshot cached = cachedLots.get(l.account.id(), l.account.changeSeq());
          if (cached != null && (cached.complete() || cached.size() >= prefetchedLots * n)) {
            l.lots = cached.balances();
            l.lotsComplete = cached.complete();
          } else {
            unknown.put(l, n);
          }
        });
    return unknown;
  }

  /** Accounts whose first lots {@link CachedLots} keeps at most (with 32 lots each: under 60 MB). */
  static final int CACHED_ACCOUNTS = 65_536;

  /** How many available lots a combined batch reads ahead per posting of an account: enough for most redemptions. */
  static final int PREFETCHED_LOTS = 8;

  /**
   * PERF (PostgreSQL): the first available lots of every account of a batch (in redemption order) in one
   * query, so that a redemption needs no query of its own (spread over many accounts, most redemptions
   * are the first posting of their account in the batch). Only the first {@link #prefetchedLots} per
   * posting of the account are read (through the partial index of available lots): a member with a
   * thousand lots pays for the few a redemption takes; one that needs more reads them all
   * ({@link #takeAvailable}).
   */
  private void prefetchLots(java.util.Map<Locked, Integer> postings) {
    if (postings.isEmpty()) {
      return;
    }
    long[] ids = new long[postings.size()];
    int[] limits = new int[postings.size()];
    int i = 0;
    for (var e : postings.entrySet()) {
      ids[i] = e.getKey().account.id();
      limits[i++] = prefetchedLots * e.getValue();
    }
    java.util.Map<Long, List<Lots.Balance>> lots = new java.util.HashMap<>();
    // expiry as epoch microseconds, which read far cheaper than timestamps
    sql("SELECT a.id, l.id, l.remaining, (EXTRACT(EPOCH FROM l.expires_at) * 1000000)::BIGINT FROM unnest(?::bigint[], ?::int[]) AS a (id, n)"
            + " CROSS JOIN LATERAL (SELECT id, remaining, expires_at FROM loyalty_lot WHERE account_id = a.id AND spendable"
            + " ORDER BY expires_at NULLS LAST, id LIMIT a.n) l")
        .params(ids, limits)
        .query(
            rs -> {
              long micros = rs.getLong(4);
              Instant expires = rs.wasNull() ? null : DeferredPostings.instant(micros);
              lots.computeIfAbsent(rs.getLong(1), k -> new java.util.ArrayList<>()).add(new Lots.Balance(rs.getLong(2), rs.getLong(3), expires));
            });
    for (var e : postings.entrySet()) {
      Locked l = e.getKey();
      List<Lots.Balance> read = lots.getOrDefault(l.account.id(), List.of());
      // the query answers them in redemption order, account by account
      l.lots = new java.util.ArrayList<>(read);
      l.lotsComplete = read.size() < prefetchedLots * e.getValue();
    }
  }

  /** Adds a new available lot to the batch's copy of the account's lots, keeping it a prefix in redemption order. */
  private static void addLot(Locked a, Lots.Balance lot) {
    if (a.lots == null) {
      return;
    }
    if (!a.lotsComplete && (a.lots.isEmpty() || Lots.EARLIEST_EXPIRY_FIRST.compare(lot, a.lots.getLast()) > 0)) {
      return; // it comes after lots the copy does not hold
    }
    Lots.insertOrdered(a.lots, lot);
  }

  /** The lots a redemption of {@code points} takes, earliest expiry first. */
  private List<Lots.Allocation> takeAvailable(Locked a, long points) {
    if (a.lots != null) {
      List<Lots.Allocation> taken = Lots.takeOrdered(a.lots, points);
      if (a.lotsComplete || Lots.sum(taken) == points) {
        return taken;
      }
      a.lots = null; // the first lots are not enough: read them all
    }
    return Lots.take(availableLots(a, null), points);
  }

  /** The program as it is now (a new configuration version was saved since it was last read). */
  private Programs.Program current(Programs.Program program) {
    Programs.Program current = programs.get(program.code());
    lastSeenPrograms.put(program.code(), current);
    return current;
  }

  private Locked locked(Programs.Program program, PersonRef person) {
    Batch batch = (Batch) TransactionSynchronizationManager.getResource(this);
    Target target = new Target(program, person);
    if (batch != null && batch.byTarget().containsKey(target)) {
      return batch.byTarget().get(target);
    }
    Optional<Account> account = lock(program.id(), person.value());
    if (account.isEmpty()) {
      throw PondException.notFound("loyalty account of person", person.value() + " in program " + program.code());
    }
    // a combined batch's program may be as last read: the current version, read with the account locked
    Locked locked = new Locked(batch != null ? current(program) : program, account.get(), clock.instant());
    if (batch != null) {
      // e.g. a person merged into another: the survivor's account, maybe already locked by this batch
      Locked same = batch.byAccount().putIfAbsent(locked.account.id(), locked);
      if (same != null) {
        locked = same;
      }
      batch.byTarget().put(target, locked);
    }
    return locked;
  }

  public <T> T withAccountId(long accountId, Function<Locked, T> work) {
    return inTransaction(
        status -> {
          Batch batch = (Batch) TransactionSynchronizationManager.getResource(this);
          if (batch != null && batch.byAccount().containsKey(accountId)) {
            return work.apply(batch.byAccount().get(accountId));
          }
          Account account =
              sql("SELECT * FROM loyalty_account WHERE id = ? FOR UPDATE").param(accountId).query(PointsLedger::account).single();
          return work.apply(new Locked(programs.byId(account.programId()), account, clock.instant()));
        });
  }

  /**
   * Locks the person's account; the account of a person merged into another (OneID merge, see
   * {@link AccountMerges}) is closed and points at the survivor's, which is locked instead.
   */
  private Optional<Account> lock(long programId, int personId) {
    record Row(Account account, Integer mergedInto) {}
    int person = personId;
    for (int hops = 0; hops < 100; hops++) {
      Optional<Row> row =
          sql("SELECT * FROM loyalty_account WHERE program_id = ? AND person_id = ? FOR UPDATE")
              .params(programId, person)
              .query((rs, n) -> new Row(account(rs, n), (Integer) rs.getObject("merged_into_person")))
              .optional();
      if (row.isEmpty() || row.get().mergedInto() == null) {
        return row.map(Row::account);
      }
      person = row.get().mergedInto();
    }
    throw new IllegalStateException("account merges of person " + personId + " form a cycle");
  }

  /** A program and a person as one number, for the set of accounts known to exist. */
  private static long accountKey(long programId, int personId) {
    return programId << 32 | (personId & 0xFFFFFFFFL);
  }

  /** Creates the account in its own short transaction; a concurrent creation is not an error. */
  public void ensureAccount(Programs.Program program, int personId) {
    // PERF: accounts are never deleted, so one seen to exist needs no query on the next posting
    long known = accountKey(program.id(), personId);
    if (knownAccounts.contains(known)) {
      return;
    }
    boolean exists =
        sql("SELECT COUNT(*) FROM loyalty_account WHERE program_id = ? AND person_id = ?")
                .params(program.id(), personId)
                .query(Long.class)
                .single()
            > 0;
    if (exists) {
      if (knownAccounts.size() < 1_000_000) {
        knownAccounts.add(known);
      }
      return;
    }
    Instant now = clock.instant();
    try {
      txNew.executeWithoutResult(
          s ->
              sql(
                      "INSERT INTO loyalty_account (program_id, person_id, available, pending, growth, tier, tier_floor, tier_since,"
                          + " next_review_at, joined_at, change_seq, updated_at) VALUES (?, ?, 0, 0, 0, 1, 1, ?, ?, ?, 0, ?)")
                  .params(
                      program.id(),
                      personId,
                      ts(now),
                      ts(TierPolicy.nextReview(program.config(), now, now, clock.getZone())),
                      ts(now),
                      ts(now))
                  .update());
    } catch (DuplicateKeyException e) {
      // created meanwhile by a concurrent call: exactly what we wanted
    }
    if (knownAccounts.size() < 1_000_000) {
      knownAccounts.add(known);
    }
  }

  static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  // ---------------------------------------------------------------- posting primitives

  record Draft(
      String type,
      long deltaAvailable,
      long deltaPending,
      long deltaGrowth,
      Key key,
      Long reverses,
      String orderKey,
      String rule,
      String multiplier,
      String reason,
      String actor,
      Instant occurredAt) {
    long points() {
      return deltaAvailable + deltaPending;
    }
  }

  private Optional<Outcome.Posted> replay(Locked a, Key key) {
    record Found(long accountId, Outcome.Posted posted) {}
    Optional<Found> found =
        sql(
                "SELECT account_id, id, points, rule, reason FROM loyalty_entry WHERE program_id = ? AND source = ? AND business_type = ? AND business_id = ?")
            .params(a.program.id(), key.source(), key.businessType(), key.businessId())
            .query((rs, n) -> new Found(rs.getLong(1), new Outcome.Posted(rs.getLong(2), rs.getLong(3), true, explanation(rs.getString(4), rs.getString(5)))))
            .optional();
    if (found.isPresent() && found.get().accountId() != a.account.id()) {
      throw new PondException(
          io.pond.platform.errors.ErrorCode.CONFLICT,
          key.businessType() + " " + key.businessId() + " from " + key.source() + " is already recorded for another member",
          "businessId");
    }
    return found.map(Found::posted);
  }

  private static String explanation(String rule, String reason) {
    if (rule == null) {
      return reason;
    }
    return reason == null ? rule : rule + " — " + reason;
  }

  /** Appends an entry, moves the account's running totals and records the change for sync. */
  long post(Locked a, Draft d) {
    a.lots = null;
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    sql(
            "INSERT INTO loyalty_entry (account_id, program_id, type, points, delta_available, delta_pending, delta_growth, source,"
                + " business_type, business_id, reverses_entry_id, order_key, config_version, rule, multiplier, reason, actor,"
                + " occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            a.account.id(),
            a.program.id(),
            d.type(),
            d.points(),
            d.deltaAvailable(),
            d.deltaPending(),
            d.deltaGrowth(),
            d.key().source(),
            d.key().businessType(),
            d.key().businessId(),
            d.reverses(),
            d.orderKey(),
            a.program.version(),
            cut(d.rule()),
            d.multiplier(),
            cut(d.reason()),
            d.actor(),
            ts(d.occurredAt()))
        .update(keys, "id");
    long entryId = keys.getKeyAs(Long.class);
    Account x = a.account;
    a.account =
        new Account(
            x.id(), x.programId(), x.personId(), x.available() + d.deltaAvailable(), x.pending() + d.deltaPending(),
            x.growth() + d.deltaGrowth(), x.tier(), x.tierFloor(), x.tierSince(), x.nextReviewAt(), x.joinedAt(), x.changeSeq());
    saveAccount(a, d.type(), entryId);
    return entryId;
  }

  static String cut(String text) {
    return text == null || text.length() <= 500 ? text : text.substring(0, 497) + "…";
  }

  void saveAccount(Locked a, String kind, Long entryId) {
    Account x = a.account;
    long seq = x.changeSeq() + 1;
    a.account =
        new Account(
            x.id(), x.programId(), x.personId(), x.available(), x.pending(), x.growth(), x.tier(), x.tierFloor(),
            x.tierSince(), x.nextReviewAt(), x.joinedAt(), seq);
    sql(
            "UPDATE loyalty_account SET available = ?, pending = ?, growth = ?, tier = ?, tier_floor = ?, tier_since = ?,"
                + " next_review_at = ?, change_seq = ?, updated_at = ? WHERE id = ?")
        .params(x.available(), x.pending(), x.growth(), x.tier(), x.tierFloor(), ts(x.tierSince()), ts(x.nextReviewAt()), seq, ts(a.now), x.id())
        .update();
    sql(
            "INSERT INTO loyalty_account_change (account_id, seq, kind, available, pending, tier, entry_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(x.id(), seq, kind, x.available(), x.pending(), x.tier(), entryId, ts(a.now))
        .update();
  }

  // ---------------------------------------------------------------- PostgreSQL: one statement per posting

  private static final String ENTRY_INSERT =
      "e AS (INSERT INTO loyalty_entry (account_id, program_id, type, points, delta_available, delta_pending, delta_growth, source,"
          + " business_type, business_id, reverses_entry_id, order_key, config_version, rule, multiplier, reason, actor, occurred_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::bigint, ?, ?, ?, ?, ?, ?, ?::timestamptz)"
          + " ON CONFLICT ON CONSTRAINT loyalty_entry_idempotency DO NOTHING RETURNING id)";

  private static final String ACCOUNT_UPDATE =
      "u AS (UPDATE loyalty_account SET available = ?, pending = ?, growth = ?, tier = ?, tier_floor = ?, tier_since = ?::timestamptz,"
          + " next_review_at = ?::timestamptz, change_seq = ?, updated_at = ?::timestamptz WHERE id = ? AND EXISTS (SELECT 1 FROM e)"
          + " RETURNING id),"
          + " c AS (INSERT INTO loyalty_account_change (account_id, seq, kind, available, pending, tier, entry_id, at)"
          + " SELECT ?, ?, ?, ?, ?, ?, e.id, ?::timestamptz FROM e)";

  /** The parameters of {@link #ENTRY_INSERT} then {@link #ACCOUNT_UPDATE}, for the account after the draft. */
  private List<Object> entryAndAccount(Locked a, Draft d, Account after) {
    List<Object> p = new java.util.ArrayList<>(40);
    java.util.Collections.addAll(
        p, a.account.id(), a.program.id(), d.type(), d.points(), d.deltaAvailable(), d.deltaPending(), d.deltaGrowth(),
        d.key().source(), d.key().businessType(), d.key().businessId(), typed(java.sql.Types.BIGINT, d.reverses()),
        typed(java.sql.Types.VARCHAR, d.orderKey()), a.program.version(), typed(java.sql.Types.VARCHAR, cut(d.rule())),
        typed(java.sql.Types.VARCHAR, d.multiplier()), typed(java.sql.Types.VARCHAR, cut(d.reason())), d.actor(), ts(d.occurredAt()));
    java.util.Collections.addAll(
        p, after.available(), after.pending(), after.growth(), after.tier(), after.tierFloor(), ts(after.tierSince()),
        ts(after.nextReviewAt()), after.changeSeq(), ts(a.now), after.id());
    java.util.Collections.addAll(p, after.id(), after.changeSeq(), d.type(), after.available(), after.pending(), after.tier(), ts(a.now));
    return p;
  }

  /** A value with its SQL type, so that a null needs no parameter metadata (a round trip on PostgreSQL). */
  private static Object typed(int sqlType, Object value) {
    return value == null ? new org.springframework.jdbc.core.SqlParameterValue(sqlType, null) : value;
  }

  private static Account applied(Account x, Draft d) {
    return new Account(
        x.id(), x.programId(), x.personId(), x.available() + d.deltaAvailable(), x.pending() + d.deltaPending(),
        x.growth() + d.deltaGrowth(), x.tier(), x.tierFloor(), x.tierSince(), x.nextReviewAt(), x.joinedAt(), x.changeSeq() + 1);
  }

  /**
   * PostgreSQL: an entry with an available lot, the running totals and the change record in one
   * statement; the idempotency key is checked by the insert itself ({@code ON CONFLICT DO NOTHING}), so
   * an empty answer means the key was taken (a replay, or another member's key).
   */
  private Optional<Long> insertEarn(Locked a, Draft d, Instant expiresAt) {
    Account after = applied(a.account, d);
    DeferredPostings deferred = deferring();
    if (deferred != null) {
      long[] lotId = new long[1];
      long entryId = deferred.earn(a, d, after, expiresAt, lotId);
      a.account = after;
      addLot(a, new Lots.Balance(lotId[0], d.points(), expiresAt));
      return Optional.of(entryId);
    }
    List<Object> p = entryAndAccount(a, d, after);
    java.util.Collections.addAll(p, after.id(), d.points(), d.points(), typed(java.sql.Types.TIMESTAMP, ts(expiresAt)));
    Optional<long[]> entryId =
        sql(
                "WITH " + ENTRY_INSERT + ", " + ACCOUNT_UPDATE + ","
                    + " l AS (INSERT INTO loyalty_lot (account_id, entry_id, original, remaining, pending, pending_until, expires_at, order_key)"
                    + " SELECT ?, e.id, ?, ?, FALSE, NULL, ?::timestamptz, NULL FROM e RETURNING id)"
                    + " SELECT e.id, (SELECT COUNT(*) FROM u), (SELECT MAX(id) FROM l) FROM e")
            .params(p)
            .query(
                (rs, n) -> {
                  if (rs.getLong(2) != 1 || rs.getObject(3) == null) {
                    throw new IllegalStateException("account " + after.id() + " or its new lot was not written");
                  }
                  return new long[] {rs.getLong(1), rs.getLong(3)};
                })
            .optional();
    entryId.ifPresent(
        ids -> {
          a.account = after;
          addLot(a, new Lots.Balance(ids[1], d.points(), expiresAt));
        });
    return entryId.map(ids -> ids[0]);
  }

  /**
   * PostgreSQL: a spending entry, its allocations, the lots it takes from, the running totals and the
   * change record in one statement; empty when the idempotency key was taken. A lot that would go
   * below zero fails the statement (the account lock was not held: never expected).
   */
  private Optional<Long> insertSpend(Locked a, Draft d, List<Lots.Allocation> allocations) {
    Account after = applied(a.account, d);
    DeferredPostings deferred = deferring();
    if (deferred != null) {
      long entryId = deferred.spend(a, d, after, allocations);
      a.account = after;
      tookFromLots(a, allocations);
      return Optional.of(entryId);
    }
    List<Object> p = entryAndAccount(a, d, after);
    String values = String.join(", ", java.util.Collections.nCopies(allocations.size(), "(?::bigint, ?::bigint)"));
    for (Lots.Allocation al : allocations) {
      p.add(al.lotId());
      p.add(al.points());
    }
    record Done(long entryId, long lots) {}
    Optional<Done> done =
        sql(
                "WITH " + ENTRY_INSERT + ", " + ACCOUNT_UPDATE + ","
                    + " v (lot, pts) AS (VALUES " + values + "),"
                    + " al AS (INSERT INTO loyalty_allocation (entry_id, lot_id, points) SELECT e.id, v.lot, v.pts FROM e, v),"
                    + " lt AS (UPDATE loyalty_lot SET remaining = loyalty_lot.remaining - v.pts FROM v"
                    + " WHERE loyalty_lot.id = v.lot AND loyalty_lot.remaining >= v.pts AND EXISTS (SELECT 1 FROM e) RETURNING loyalty_lot.id)"
                    + " SELECT e.id, (SELECT COUNT(*) FROM lt), (SELECT COUNT(*) FROM u) FROM e")
            .params(p)
            .query((rs, n) -> new Done(rs.getLong(1), rs.getLong(3) == 1 ? rs.getLong(2) : -1))
            .optional();
    if (done.isPresent() && done.get().lots() != allocations.size()) {
      throw new IllegalStateException("a lot of account " + a.account.id() + " would go below zero; the account lock was not held");
    }
    done.ifPresent(
        x -> {
          a.account = after;
          tookFromLots(a, allocations);
        });
    return done.map(Done::entryId);
  }

  /**
   * Keeps the batch's copy of the account's lots (in the order redemptions take them) as a redemption
   * left them. PERF: a redemption takes from the first lots of the list, so only they are visited.
   */
  private static void tookFromLots(Locked a, List<Lots.Allocation> allocations) {
    List<Lots.Balance> lots = a.lots;
    if (lots == null) {
      return;
    }
    int k = allocations.size();
    boolean prefix = k <= lots.size();
    for (int j = 0; prefix && j < k; j++) {
      prefix = lots.get(j).lotId() == allocations.get(j).lotId();
    }
    if (prefix) {
      for (int j = 0; j < k; j++) {
        Lots.Balance l = lots.get(j);
        lots.set(j, new Lots.Balance(l.lotId(), l.remaining() - allocations.get(j).points(), l.expiresAt()));
      }
      lots.subList(0, k).removeIf(l -> l.remaining() <= 0);
      return;
    }
    java.util.Map<Long, Long> taken = new java.util.HashMap<>();
    allocations.forEach(al -> taken.merge(al.lotId(), al.points(), Long::sum));
    lots.replaceAll(l -> taken.containsKey(l.lotId()) ? new Lots.Balance(l.lotId(), l.remaining() - taken.get(l.lotId()), l.expiresAt()) : l);
    lots.removeIf(l -> l.remaining() <= 0);
  }

  /** The first entry of a key found taken by an insert: a replay, or {@code conflict} for another member's key. */
  private Outcome.Posted replayed(Locked a, Key key) {
    return replay(a, key).orElseThrow(() -> new IllegalStateException("idempotency key " + key + " was taken but its entry is not visible"));
  }

  /** A refusal, unless the input was accepted before (a replay answers the first entry, as always). */
  private Outcome refuse(Locked a, Key key, Outcome.Rejected rejected) {
    return replay(a, key).<Outcome>map(p -> p).orElse(rejected);
  }

  private long newLot(Locked a, long entryId, long points, boolean pending, Instant pendingUntil, Instant expiresAt, String orderKey) {
    a.lots = null;
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    sql(
            "INSERT INTO loyalty_lot (account_id, entry_id, original, remaining, pending, pending_until, expires_at, order_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(a.account.id(), entryId, points, points, pending, ts(pendingUntil), ts(expiresAt), orderKey)
        .update(keys, "id");
    return keys.getKeyAs(Long.class);
  }

  /** Takes {@code points} from a lot for an entry (negative: gives them back). */
  void allocate(long entryId, long lotId, long points) {
    if (points == 0) {
      return;
    }
    sql("INSERT INTO loyalty_allocation (entry_id, lot_id, points) VALUES (?, ?, ?)").params(entryId, lotId, points).update();
    int updated =
        sql("UPDATE loyalty_lot SET remaining = remaining - ? WHERE id = ? AND remaining - ? >= 0")
            .params(points, lotId, points)
            .update();
    if (updated != 1) {
      throw new IllegalStateException("lot " + lotId + " would go below zero; the account lock was not held");
    }
  }

  List<Lots.Balance> availableLots(Locked a, Long except) {
    if (except == null && a.lots != null && a.lotsComplete) {
      return List.copyOf(a.lots);
    }
    List<Lots.Balance> lots = queryLots(a, except);
    if (postgres && except == null) {
      a.lots = new java.util.ArrayList<>(lots);
      a.lots.sort(Lots.EARLIEST_EXPIRY_FIRST);
      a.lotsComplete = true;
    }
    return lots;
  }

  private List<Lots.Balance> queryLots(Locked a, Long except) {
    return sql("SELECT id, remaining, expires_at FROM loyalty_lot WHERE account_id = ? AND spendable = TRUE")
        .param(a.account.id())
        .query((rs, n) -> new Lots.Balance(rs.getLong(1), rs.getLong(2), instant(rs.getTimestamp(3))))
        .list()
        .stream()
        .filter(l -> except == null || l.lotId() != except)
        .toList();
  }

  static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  /** A negative balance is paid first from points that become available in {@code lotId}. */
  private void settleDebt(Locked a, long entryId, long lotId, long lotRemaining, long availableBefore) {
    if (availableBefore < 0) {
      allocate(entryId, lotId, Math.min(lotRemaining, -availableBefore));
    }
  }

  // ---------------------------------------------------------------- orders

  static String orderKey(String channel, String shop, String orderId) {
    return channel + "/" + shop + "/" + orderId;
  }

  public OrderPoints.Result orderPaid(OrderPoints.PaidOrder order) {
    requireOrder(order.channel(), order.shop(), order.orderId());
    if (order.lines() == null || order.lines().isEmpty()) {
      throw PondException.invalid("lines", "an order needs at least one paid line");
    }
    for (int i = 0; i < order.lines().size(); i++) {
      if (order.lines().get(i).paidFen() < 0) {
        throw PondException.invalid("lines[" + i + "].paidFen", "must not be negative");
      }
    }
    Key key = new Key(order.channel(), "order_paid", order.shop() + "/" + order.orderId());
    String orderKey = orderKey(order.channel(), order.shop(), order.orderId());
    Instant paidAt = order.paidAt();
    return result(
        withAccount(
            order.program(),
            order.person(),
            true,
            a -> {
              Optional<Outcome.Posted> replayed = replay(a, key);
              if (replayed.isPresent()) {
                return replayed.get();
              }
              LocalDate day = LocalDate.ofInstant(paidAt, clock.getZone());
              long earnedToday =
                  sql(
                          "SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE account_id = ? AND type = 'EARN'"
                              + " AND business_type = 'order_paid' AND occurred_at >= ? AND occurred_at < ?")
                      .params(
                          a.account.id(),
                          ts(day.atStartOfDay(clock.getZone()).toInstant()),
                          ts(day.plusDays(1).atStartOfDay(clock.getZone()).toInstant()))
                      .query(Long.class)
                      .single();
              var facts =
                  new EarningPolicy.OrderFacts(
                      order.channel(),
                      order.shop(),
                      order.lines().stream().map(l -> new EarningPolicy.Line(l.category(), l.paidFen())).toList(),
                      paidAt);
              EarningPolicy.Award award = EarningPolicy.forOrder(a.config, facts, a.account.tier(), earnedToday, clock.getZone());
              long entryId =
                  post(
                      a,
                      new Draft(
                          "EARN", 0, award.points(), award.growth(), key, null, orderKey, award.rule(),
                          award.multiplier().toPlainString(), "order paid, pending until it completes", "order", paidAt));
              newLot(a, entryId, award.points(), true, null, ExpiryPolicy.expiresAt(a.config.expiry(), paidAt, clock.getZone()), orderKey);
              qualifying(a, entryId, paidAt, award.growth(), facts.paidFen(), 1);
              publish(
                  new PointsEarned(a.program.code(), a.person(), entryId, award.points(), true, key.businessType(), key.businessId(), a.now));
              upgradeIfQualified(a);
              return new Outcome.Posted(entryId, award.points(), false, award.rule());
            }));
  }

  private static void requireOrder(String channel, String shop, String orderId) {
    if (channel == null || channel.isBlank() || channel.length() > 64) {
      throw PondException.invalid("channel", "must be 1-64 characters");
    }
    if (shop == null || shop.isBlank() || shop.length() > 64) {
      throw PondException.invalid("shop", "must be 1-64 characters");
    }
    if (orderId == null || orderId.isBlank() || orderId.length() > 100) {
      throw PondException.invalid("orderId", "must be 1-100 characters");
    }
  }

  private static OrderPoints.Result result(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Posted p -> new OrderPoints.Result(p.entryId() > 0, p.entryId(), p.points(), p.replayed(), p.explanation());
      case Outcome.Rejected r -> new OrderPoints.Result(false, 0, 0, false, r.reason() + ": " + r.detail());
    };
  }

  private record OrderLot(long lotId, long entryId, long original, long remaining, boolean pending, Instant pendingUntil) {}

  private Optional<OrderLot> orderLot(Locked a, String orderKey) {
    return sql(
            "SELECT l.id, l.entry_id, l.original, l.remaining, l.pending, l.pending_until FROM loyalty_lot l JOIN loyalty_entry e"
                + " ON e.id = l.entry_id WHERE l.account_id = ? AND l.order_key = ? AND e.type = 'EARN'")
        .params(a.account.id(), orderKey)
        .query((rs, n) -> new OrderLot(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5), instant(rs.getTimestamp(6))))
        .optional();
  }

  public OrderPoints.Result orderCompleted(OrderPoints.CompletedOrder order) {
    requireOrder(order.channel(), order.shop(), order.orderId());
    String orderKey = orderKey(order.channel(), order.shop(), order.orderId());
    return result(
        withAccount(
            order.program(),
            order.person(),
            true,
            a -> {
              Optional<OrderLot> lot = orderLot(a, orderKey);
              if (lot.isEmpty()) {
                return new Outcome.Rejected("order_not_earned", "no points were earned for order " + orderKey);
              }
              if (!lot.get().pending()) {
                return new Outcome.Posted(0, 0, true, "points of order " + orderKey + " are already available");
              }
              Instant until = order.completedAt().plus(Duration.ofDays(a.config.returnWindowDays()));
              if (lot.get().pendingUntil() == null || until.isBefore(lot.get().pendingUntil())) {
                sql("UPDATE loyalty_lot SET pending_until = ? WHERE id = ?").params(ts(until), lot.get().lotId()).update();
              }
              if (!until.isAfter(a.now)) {
                return activate(a, lot.get().lotId());
              }
              return new Outcome.Posted(0, lot.get().remaining(), false, "pending until " + until + " (return window)");
            }));
  }

  /** Makes a pending lot's points available (ACTIVATE); a negative balance is paid from them first. */
  private Outcome activate(Locked a, long lotId) {
    Key key = new Key("pond", "activation", Long.toString(lotId));
    Optional<Outcome.Posted> replayed = replay(a, key);
    if (replayed.isPresent()) {
      return replayed.get();
    }
    OrderLot lot =
        sql("SELECT id, entry_id, original, remaining, pending, pending_until FROM loyalty_lot WHERE id = ?")
            .param(lotId)
            .query((rs, n) -> new OrderLot(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5), instant(rs.getTimestamp(6))))
            .single();
    String orderKey = sql("SELECT order_key FROM loyalty_lot WHERE id = ?").param(lotId).query(String.class).single();
    long availableBefore = a.account.available();
    long entryId =
        post(
            a,
            new Draft(
                "ACTIVATE", lot.remaining(), -lot.remaining(), 0, key, lot.entryId(), orderKey, null, null,
                "order completed and its return window passed", "system", a.now));
    sql("UPDATE loyalty_lot SET pending = FALSE WHERE id = ?").param(lotId).update();
    settleDebt(a, entryId, lotId, lot.remaining(), availableBefore);
    publish(new PointsActivated(a.program.code(), a.person(), entryId, lot.remaining(), orderKey, a.now));
    return new Outcome.Posted(entryId, lot.remaining(), false, "activated");
  }

  public OrderPoints.Result orderRefunded(OrderPoints.RefundedOrder refund) {
    requireOrder(refund.channel(), refund.shop(), refund.orderId());
    if (refund.refundId() == null || refund.refundId().isBlank() || refund.refundId().length() > 90) {
      throw PondException.invalid("refundId", "must be 1-90 characters");
    }
    if (refund.refundedFen() <= 0) {
      throw PondException.invalid("refundedFen", "must be positive");
    }
    String orderKey = orderKey(refund.channel(), refund.shop(), refund.orderId());
    Key key = new Key(refund.channel(), "order_refund", refund.shop() + "/" + refund.orderId() + "/" + refund.refundId());
    return result(
        withAccount(
            refund.program(),
            refund.person(),
            true,
            a -> {
              Optional<Outcome.Posted> replayed = replay(a, key);
              if (replayed.isPresent()) {
                return replayed.get();
              }
              Optional<OrderLot> found = orderLot(a, orderKey);
              if (found.isEmpty()) {
                return new Outcome.Rejected("order_not_earned", "no points were earned for order " + orderKey);
              }
              OrderLot lot = found.get();
              // what the order earned and how much of it was refunded before: cumulative shares, so
              // partial refunds never round away points or take more than the order earned
              record Order(long growth, long spendFen, Instant paidAt) {}
              Order earned =
                  sql("SELECT growth, spend_fen, at FROM loyalty_qualifying WHERE entry_id = ?")
                      .param(lot.entryId())
                      .query((rs, n) -> new Order(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()))
                      .single();
              long refundedBefore =
                  -sql(
                          "SELECT COALESCE(SUM(q.spend_fen), 0) FROM loyalty_qualifying q JOIN loyalty_entry e ON e.id = q.entry_id"
                              + " WHERE e.account_id = ? AND e.order_key = ? AND e.type = 'CLAWBACK'")
                      .params(a.account.id(), orderKey)
                      .query(Long.class)
                      .single();
              long refundedAfter = Math.min(earned.spendFen(), refundedBefore + refund.refundedFen());
              long thisRefund = refundedAfter - refundedBefore;
              long owed = share(lot.original(), refundedAfter, earned.spendFen()) - share(lot.original(), refundedBefore, earned.spendFen());
              long growth = share(earned.growth(), refundedAfter, earned.spendFen()) - share(earned.growth(), refundedBefore, earned.spendFen());
              int orders = refundedAfter >= earned.spendFen() && refundedBefore < earned.spendFen() ? 1 : 0;
              RefundPolicy policy = RefundPolicy.fromWire(a.config.refundPolicy());
              RefundPolicy.Plan plan =
                  policy.plan(
                      owed,
                      new RefundPolicy.OrderLot(lot.lotId(), lot.remaining(), lot.pending()),
                      availableLots(a, lot.lotId()));
              long fromPending = plan.orderLotPending() ? plan.fromOrderLot() : 0;
              long fromAvailable = plan.taken() - fromPending;
              long entryId =
                  post(
                      a,
                      new Draft(
                          "CLAWBACK", -fromAvailable, -fromPending, -growth, key, lot.entryId(), orderKey,
                          "refund of " + thisRefund + " fen of " + earned.spendFen() + " fen paid: " + owed + " points owed",
                          null, plan.reason(), "order", refund.refundedAt()));
              allocate(entryId, lot.lotId(), plan.fromOrderLot());
              for (Lots.Allocation other : plan.fromOtherLots()) {
                allocate(entryId, other.lotId(), other.points());
              }
              qualifying(a, entryId, earned.paidAt(), -growth, -thisRefund, -orders);
              publish(
                  new PointsClawedBack(a.program.code(), a.person(), entryId, plan.taken(), plan.forgiven(), growth, orderKey, a.now));
              if (Boolean.TRUE.equals(a.config.refundRevertsTier())) {
                revertTierAfterRefund(a);
              }
              return new Outcome.Posted(entryId, -plan.taken(), false, plan.reason());
            }));
  }

  private static long share(long total, long part, long whole) {
    return io.pond.loyalty.program.domain.PointsMath.share(total, part, whole);
  }

  // ---------------------------------------------------------------- events, redemptions, adjustments

  /** Points for a non-order event (sign-in, review, live-stream like, join gift): available at once. */
  public Outcome earnEvent(String programCode, PersonRef person, String eventType, Key key, Instant occurredAt) {
    return withAccount(
        programCode,
        person,
        true,
        true,
        a -> {
          Key typed = new Key(key.source(), eventType, key.businessId()).of(a.person());
          if (!postgres) {
            // PostgreSQL: the insert checks the key (ON CONFLICT), one round trip fewer
            Optional<Outcome.Posted> replayed = replay(a, typed);
            if (replayed.isPresent()) {
              return replayed.get();
            }
          }
          ProgramConfig.EventReward reward = a.config.earning().events().get(eventType);
          if (reward == null) {
            return refuse(a, typed, new Outcome.Rejected("no_rule", "the program gives no points for " + eventType));
          }
          if (reward.dailyLimit() != null && reward.dailyLimit() > 0) {
            LocalDate day = LocalDate.ofInstant(occurredAt, clock.getZone());
            long today =
                sql(
                        "SELECT COUNT(*) FROM loyalty_entry WHERE account_id = ? AND type = 'EARN' AND business_type = ?"
                            + " AND occurred_at >= ? AND occurred_at < ?")
                    .params(
                        a.account.id(),
                        eventType,
                        ts(day.atStartOfDay(clock.getZone()).toInstant()),
                        ts(day.plusDays(1).atStartOfDay(clock.getZone()).toInstant()))
                    .query(Long.class)
                    .single();
            if (today >= reward.dailyLimit()) {
              return refuse(
                  a, typed, new Outcome.Rejected("daily_limit", eventType + " earns at most " + reward.dailyLimit() + " times a day"));
            }
          }
          String rule = eventType + " earns " + reward.points();
          if (postgres && a.account.available() >= 0) {
            return insertEarn(
                    a,
                    new Draft("EARN", reward.points(), 0, 0, typed, null, null, rule, null, null, "event", occurredAt),
                    ExpiryPolicy.expiresAt(a.config.expiry(), occurredAt, clock.getZone()))
                .<Outcome>map(
                    entryId -> {
                      publish(
                          new PointsEarned(a.program.code(), a.person(), entryId, reward.points(), false, eventType, typed.businessId(), a.now));
                      return new Outcome.Posted(entryId, reward.points(), false, rule);
                    })
                .orElseGet(() -> replayed(a, typed));
          }
          if (postgres) {
            Optional<Outcome.Posted> replayed = replay(a, typed);
            if (replayed.isPresent()) {
              return replayed.get();
            }
          }
          return earnAvailable(a, "EARN", typed, reward.points(), rule, null, "event", occurredAt);
        });
  }

  Outcome.Posted earnAvailable(Locked a, String type, Key key, long points, String rule, String reason, String actor, Instant at) {
    long availableBefore = a.account.available();
    long entryId = post(a, new Draft(type, points, 0, 0, key, null, null, rule, null, reason, actor, at));
    long lotId = newLot(a, entryId, points, false, null, ExpiryPolicy.expiresAt(a.config.expiry(), at, clock.getZone()), null);
    settleDebt(a, entryId, lotId, points, availableBefore);
    publish(new PointsEarned(a.program.code(), a.person(), entryId, points, false, key.businessType(), key.businessId(), a.now));
    return new Outcome.Posted(entryId, points, false, rule);
  }

  /** Spends points, earliest-expiring first; refused when the available balance is short. */
  public Outcome redeem(String programCode, PersonRef person, Key key, long points, String reason, String actor) {
    if (points <= 0) {
      throw PondException.invalid("points", "must be positive");
    }
    return withAccount(programCode, person, false, true, a -> redeemLocked(a, key.of(person), points, reason, actor));
  }

  Outcome redeemLocked(Locked a, Key key, long points, String reason, String actor) {
    if (!postgres) {
      // PostgreSQL: the insert checks the key (ON CONFLICT), one round trip fewer
      Optional<Outcome.Posted> replayed = replay(a, key);
      if (replayed.isPresent()) {
        return replayed.get();
      }
    }
    if (a.account.available() < points) {
      return refuse(
          a, key,
          new Outcome.Rejected("insufficient_points", "needs " + points + " points, " + Math.max(0, a.account.available()) + " available"));
    }
    // PERF: the batch's copy of the lots is kept in the order redemptions take them
    List<Lots.Allocation> allocations = takeAvailable(a, points);
    if (Lots.sum(allocations) != points) {
      throw new IllegalStateException("account " + a.account.id() + " lots do not hold its available balance; run reconcile");
    }
    Draft draft = new Draft("REDEEM", -points, 0, 0, key, null, null, null, null, reason, actor, a.now);
    long entryId;
    if (postgres) {
      Optional<Long> inserted = insertSpend(a, draft, allocations);
      if (inserted.isEmpty()) {
        return replayed(a, key);
      }
      entryId = inserted.get();
    } else {
      entryId = post(a, draft);
      for (Lots.Allocation allocation : allocations) {
        allocate(entryId, allocation.lotId(), allocation.points());
      }
    }
    publish(new PointsRedeemed(a.program.code(), a.person(), entryId, points, key.businessId(), a.now));
    return new Outcome.Posted(entryId, -points, false, reason);
  }

  /** Gives back what a REDEEM took, to the same lots (a REVERSAL linked to it); a negative balance is paid first. */
  Outcome reverseLocked(Locked a, long redeemEntryId, String reason, String actor) {
    Key key = new Key("pond", "reversal", Long.toString(redeemEntryId));
    Optional<Outcome.Posted> replayed = replay(a, key);
    if (replayed.isPresent()) {
      return replayed.get();
    }
    List<Lots.Allocation> taken =
        sql("SELECT lot_id, points FROM loyalty_allocation WHERE entry_id = ? ORDER BY lot_id DESC")
            .param(redeemEntryId)
            .query((rs, n) -> new Lots.Allocation(rs.getLong(1), rs.getLong(2)))
            .list();
    long points = Lots.sum(taken);
    long debt = Math.max(0, -a.account.available());
    long entryId = post(a, new Draft("REVERSAL", points, 0, 0, key, redeemEntryId, null, null, null, reason, actor, a.now));
    for (Lots.Allocation allocation : taken) {
      long payDebt = Math.min(debt, allocation.points());
      debt -= payDebt;
      allocate(entryId, allocation.lotId(), -(allocation.points() - payDebt));
    }
    return new Outcome.Posted(entryId, points, false, reason);
  }

  /** An operator's correction: positive adds a lot, negative takes points (never below zero). */
  public Outcome adjust(String programCode, PersonRef person, Key key, long points, String reason, String actor) {
    if (points == 0) {
      throw PondException.invalid("points", "must not be zero");
    }
    if (reason == null || reason.isBlank()) {
      throw PondException.invalid("reason", "an adjustment needs a reason");
    }
    Key typed = new Key(key.source(), "adjustment", key.businessId()).of(person);
    return withAccount(
        programCode,
        person,
        points > 0,
        a -> {
          Optional<Outcome.Posted> replayed = replay(a, typed);
          if (replayed.isPresent()) {
            return replayed.get();
          }
          if (points > 0) {
            return earnAvailable(a, "ADJUST", typed, points, "operator adjustment", reason, actor, a.now);
          }
          if (a.account.available() < -points) {
            return new Outcome.Rejected(
                "insufficient_points", "cannot take " + -points + " points, " + Math.max(0, a.account.available()) + " available");
          }
          List<Lots.Allocation> allocations = Lots.take(availableLots(a, null), -points);
          long entryId = post(a, new Draft("ADJUST", points, 0, 0, typed, null, null, "operator adjustment", null, reason, actor, a.now));
          for (Lots.Allocation allocation : allocations) {
            allocate(entryId, allocation.lotId(), allocation.points());
          }
          return new Outcome.Posted(entryId, points, false, reason);
        });
  }

  // ---------------------------------------------------------------- scheduled work

  /** Activates every pending lot whose return window has passed; returns how many. */
  public int activateDue() {
    Instant now = clock.instant();
    List<long[]> due =
        sql("SELECT account_id, id FROM loyalty_lot WHERE pending = TRUE AND pending_until <= ? ORDER BY id")
            .param(ts(now))
            .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .list();
    int done = 0;
    for (long[] lot : due) {
      boolean activated =
          withAccountId(
              lot[0],
              a -> {
                Boolean stillPending =
                    sql("SELECT pending FROM loyalty_lot WHERE id = ? AND pending_until <= ?")
                        .params(lot[1], ts(a.now))
                        .query(Boolean.class)
                        .optional()
                        .orElse(false);
                return stillPending && activate(a, lot[1]) instanceof Outcome.Posted;
              });
      done += activated ? 1 : 0;
    }
    return done;
  }

  /** Expires what is left in every lot past its expiry; returns how many lots. */
  public int expireDue() {
    Instant now = clock.instant();
    List<long[]> due =
        sql("SELECT account_id, id FROM loyalty_lot WHERE spendable = TRUE AND expires_at <= ? ORDER BY id")
            .param(ts(now))
            .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .list();
    int done = 0;
    for (long[] lot : due) {
      done +=
          withAccountId(
              lot[0],
              a -> {
                Long remaining =
                    sql("SELECT remaining FROM loyalty_lot WHERE id = ? AND pending = FALSE AND expires_at <= ?")
                        .params(lot[1], ts(a.now))
                        .query(Long.class)
                        .optional()
                        .orElse(0L);
                if (remaining <= 0) {
                  return 0;
                }
                long earlier =
                    sql("SELECT COUNT(*) FROM loyalty_allocation al JOIN loyalty_entry e ON e.id = al.entry_id WHERE al.lot_id = ? AND e.type = 'EXPIRE'")
                        .param(lot[1])
                        .query(Long.class)
                        .single();
                Key key = new Key("pond", "expiry", lot[1] + "/" + (earlier + 1));
                long entryId = post(a, new Draft("EXPIRE", -remaining, 0, 0, key, null, null, "lot " + lot[1] + " reached its expiry", null, null, "system", a.now));
                allocate(entryId, lot[1], remaining);
                publish(new PointsExpired(a.program.code(), a.person(), entryId, remaining, a.now));
                return 1;
              });
    }
    return done;
  }

  // ---------------------------------------------------------------- tiers

  private void qualifying(Locked a, long entryId, Instant at, long growth, long spendFen, int orders) {
    sql("INSERT INTO loyalty_qualifying (account_id, entry_id, at, growth, spend_fen, orders) VALUES (?, ?, ?, ?, ?, ?)")
        .params(a.account.id(), entryId, ts(at), growth, spendFen, orders)
        .update();
  }

  TierPolicy.Measures measures(long accountId, Instant from, Instant to) {
    return sql(
            "SELECT COALESCE(SUM(growth), 0), COALESCE(SUM(spend_fen), 0), COALESCE(SUM(orders), 0) FROM loyalty_qualifying"
                + " WHERE account_id = ? AND at >= ? AND at < ?")
        .params(accountId, ts(from), ts(to))
        .query((rs, n) -> new TierPolicy.Measures(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .single();
  }

  private long currentValue(Locked a) {
    Instant from = TierPolicy.windowStart(a.config, a.now, a.account.joinedAt(), clock.getZone());
    return measures(a.account.id(), from, a.now.plusMillis(1)).of(a.config.qualification().measure());
  }

  void upgradeIfQualified(Locked a) {
    long value = currentValue(a);
    int qualified = TierPolicy.qualifiedLevel(a.config, value);
    if (qualified > a.account.tier()) {
      changeTier(a, qualified, "upgrade: " + a.config.qualification().measure() + " " + value + " reaches "
          + a.config.tier(qualified).threshold() + " for " + a.config.tier(qualified).code(), false);
    }
  }

  private void revertTierAfterRefund(Locked a) {
    long value = currentValue(a);
    int target = Math.max(a.account.tierFloor(), TierPolicy.qualifiedLevel(a.config, value));
    if (target < a.account.tier()) {
      changeTier(a, target, "refund: " + a.config.qualification().measure() + " " + value + " no longer reaches "
          + a.config.tier(a.account.tier()).threshold() + " for " + a.config.tier(a.account.tier()).code(), false);
    }
  }

  void changeTier(Locked a, int level, String reason, boolean review) {
    changeTier(a, level, reason, review, a.now);
  }

  private void changeTier(Locked a, int level, String reason, boolean review, Instant at) {
    Account x = a.account;
    String from = a.config.tier(x.tier()).code();
    a.account =
        new Account(
            x.id(), x.programId(), x.personId(), x.available(), x.pending(), x.growth(), level,
            review ? level : Math.min(x.tierFloor(), level), at, x.nextReviewAt(), x.joinedAt(), x.changeSeq());
    sql("INSERT INTO loyalty_tier_change (account_id, from_tier, to_tier, reason, at) VALUES (?, ?, ?, ?, ?)")
        .params(x.id(), x.tier(), level, cut(reason), ts(a.now))
        .update();
    saveAccount(a, "TIER", null);
    events.publishEvent(new TierChanged(a.program.code(), a.person(), from, a.config.tier(level).code(), reason, a.now));
  }

  /** Runs every tier review that is due (several per account when time moved by years); returns how many. */
  public int reviewTiersDue() {
    Instant now = clock.instant();
    List<Long> due =
        sql("SELECT id FROM loyalty_account WHERE next_review_at <= ? ORDER BY id").param(ts(now)).query(Long.class).list();
    int reviews = 0;
    for (long accountId : due) {
      reviews +=
          withAccountId(
              accountId,
              a -> {
                int n = 0;
                while (!a.account.nextReviewAt().isAfter(a.now)) {
                  Instant at = a.account.nextReviewAt();
                  long value =
                      measures(a.account.id(), TierPolicy.reviewWindowStart(a.config, at, clock.getZone()), at)
                          .of(a.config.qualification().measure());
                  TierPolicy.Review decision = TierPolicy.review(a.config, a.account.tier(), value, a.account.tierSince(), at);
                  Account x = a.account;
                  Instant next = TierPolicy.nextReview(a.config, at, x.joinedAt(), clock.getZone());
                  a.account =
                      new Account(x.id(), x.programId(), x.personId(), x.available(), x.pending(), x.growth(), x.tier(),
                          x.tier(), x.tierSince(), next, x.joinedAt(), x.changeSeq());
                  if (decision instanceof TierPolicy.Review.Change change) {
                    changeTier(a, change.level(), change.reason(), true, at);
                  } else {
                    saveAccount(a, "REVIEW", null);
                  }
                  n++;
                }
                return n;
              });
    }
    return reviews;
  }
}
