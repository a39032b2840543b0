package io.pond.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.platform.errors.PondException;
import io.pond.support.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The ledger's invariants under random inputs, on the real ledger code and an in-memory H2 store:
 * available = Σ remaining of available lots, no lot below zero, totals = Σ entries (the reconcile
 * checks); replaying any input changes nothing; concurrent redemptions never overspend. Runs on
 * PostgreSQL (schema {@code ledger_properties}) when {@code POND_DB_URL} points there.
 */
class LedgerProperties {

  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final Instant START = Instant.parse("2026-05-01T02:00:00Z");
  private static final MutableClock CLOCK = new MutableClock(START, ZONE);
  private static final PointsLedger LEDGER;
  private static final LedgerQueries QUERIES;
  private static final Programs PROGRAMS;
  private static final OrderPoints ORDERS;
  private static final JdbcClient JDBC;

  static {
    // on PostgreSQL when the suite runs there (POND_DB_URL), in a fresh schema: the ledger's PostgreSQL statements are other code
    String pg = System.getenv("POND_DB_URL");
    boolean postgres = pg != null && pg.startsWith("jdbc:postgresql:");
    javax.sql.DataSource dataSource;
    if (postgres) {
      String user = System.getenv().getOrDefault("POND_DB_USER", "postgres");
      String password = System.getenv().getOrDefault("POND_DB_PASSWORD", "");
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg, user, password);
          java.sql.Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS ledger_properties CASCADE");
        st.execute("CREATE SCHEMA ledger_properties");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
      pool.setJdbcUrl(pg + (pg.contains("?") ? "&" : "?") + "currentSchema=ledger_properties");
      pool.setUsername(user);
      pool.setPassword(password);
      pool.setMaximumPoolSize(8);
      dataSource = new com.zaxxer.hikari.HikariDataSource(pool);
    } else {
      String url = "jdbc:h2:mem:ledger_properties;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
      dataSource = new SimpleDriverDataSource(new org.h2.Driver(), url, "sa", "");
    }
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    JDBC = jdbc;
    PROGRAMS = new Programs(jdbc, CLOCK);
    // one lot read ahead per posting (8 in a server): combined batches on PostgreSQL often hold only an
    // account's first lots, so that new lots after them and redemptions that need more are exercised
    LEDGER = new PointsLedger(jdbc, new DataSourceTransactionManager(dataSource), PROGRAMS, CLOCK, event -> {}, dataSource, 8, 1);
    QUERIES = new LedgerQueries(jdbc, PROGRAMS, LEDGER, CLOCK, event -> {});
    ORDERS = new OrderPoints(LEDGER);
  }

  sealed interface Op {
    /** Time and jobs are not inputs: a replay skips them. */
    default boolean input() {
      return true;
    }
  }

  record Pay(int person, int order, long fen) implements Op {}

  record Complete(int person, int order) implements Op {}

  record Refund(int person, int order, int refund, long fen) implements Op {}

  record Review(int person, int id) implements Op {}

  record Redeem(int person, int id, long points) implements Op {}

  record Adjust(int person, int id, long points) implements Op {}

  record Advance(int days) implements Op {
    @Override
    public boolean input() {
      return false;
    }
  }

  record Jobs() implements Op {
    @Override
    public boolean input() {
      return false;
    }
  }

  private static Gen<List<Op>> operations() {
    Gen<Integer> person = integers().between(1, 3);
    Gen<Integer> id = integers().between(1, 6);
    Gen<Op> op =
        Generate.oneOf(
            person.zip(id, longs().between(0, 50_000), (p, o, fen) -> (Op) new Pay(p, o, fen)),
            person.zip(id, (p, o) -> (Op) new Complete(p, o)),
            person.zip(id, integers().between(1, 3), longs().between(1, 30_000), (p, o, r, fen) -> (Op) new Refund(p, o, r, fen)),
            person.zip(id, (p, i) -> (Op) new Review(p, i)),
            person.zip(id, longs().between(1, 300), (p, i, points) -> (Op) new Redeem(p, i, points)),
            person.zip(id, longs().between(1, 100), booleans().all(), (p, i, v, negative) -> (Op) new Adjust(p, i, negative ? -v : v)),
            integers().between(1, 40).map(days -> (Op) new Advance(days)),
            Generate.constant((Op) new Jobs()));
    return lists().of(op).ofSizeBetween(1, 40);
  }

  private static Gen<String> policies() {
    return Generate.pick(List.copyOf(ProgramConfig.REFUND_POLICIES));
  }

  private static Gen<ProgramConfig.Expiry> expiries() {
    return Generate.pick(
        List.of(
            new ProgramConfig.Expiry("never", null),
            new ProgramConfig.Expiry("rolling_days", 30),
            new ProgramConfig.Expiry("end_of_year", null)));
  }

  private static String program(String policy, ProgramConfig.Expiry expiry) {
    String code = "prop" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    PROGRAMS.create(
        code,
        code,
        new ProgramConfig(
            List.of(
                new ProgramConfig.Tier("L1", "Member", 0L, BigDecimal.ONE),
                new ProgramConfig.Tier("L2", "Silver", 300L, new BigDecimal("1.5"))),
            null,
            new ProgramConfig.Earning(null, null, null, null, null, null, Map.of("review", new ProgramConfig.EventReward(20L, 0))),
            expiry,
            policy,
            true,
            3,
            30,
            15),
        "property");
    return code;
  }

  /** Applies an input; false when it was refused (refused inputs post nothing and may succeed later). */
  private static boolean apply(String program, Op op) {
    try {
      Object result = switch (op) {
        case Pay p ->
            ORDERS.paid(new OrderPoints.PaidOrder(program, new PersonRef(p.person()), "jd", "s1", "o" + p.order(),
                List.of(new OrderPoints.Line("tea", p.fen())), CLOCK.instant()));
        case Complete c -> ORDERS.completed(new OrderPoints.CompletedOrder(program, new PersonRef(c.person()), "jd", "s1", "o" + c.order(), CLOCK.instant()));
        case Refund r ->
            ORDERS.refunded(new OrderPoints.RefundedOrder(program, new PersonRef(r.person()), "jd", "s1", "o" + r.order(), "r" + r.refund(), r.fen(), CLOCK.instant()));
        case Review r -> LEDGER.earnEvent(program, new PersonRef(r.person()), "review", new PointsLedger.Key("app", "review", "rv" + r.id()), CLOCK.instant());
        case Redeem r -> LEDGER.redeem(program, new PersonRef(r.person()), new PointsLedger.Key("mall", "redemption", "x" + r.id()), r.points(), "gift", "property");
        case Adjust a -> LEDGER.adjust(program, new PersonRef(a.person()), new PointsLedger.Key("operator", "adjustment", "a" + a.id()), a.points(), "fix", "property");
        case Advance a -> {
          CLOCK.advance(Duration.ofDays(a.days()));
          yield null;
        }
        case Jobs j -> {
          LEDGER.activateDue();
          LEDGER.expireDue();
          LEDGER.reviewTiersDue();
          yield null;
        }
      };
      return !(result instanceof PointsLedger.Outcome.Rejected)
          && !(result instanceof OrderPoints.Result r && !r.posted() && r.entryId() == 0 && r.explanation().startsWith("order_not_earned"));
    } catch (PondException e) {
      return false; // unknown account, conflicting key: nothing posted
    }
  }

  private record Snapshot(List<String> balances, long entries) {}

  private static Snapshot snapshot(String program) {
    Programs.Program p = PROGRAMS.get(program);
    List<String> balances = new ArrayList<>();
    long entries = 0;
    for (int person = 1; person <= 3; person++) {
      var account = QUERIES.account(p.id(), person);
      if (account.isPresent()) {
        var a = account.get();
        balances.add(person + ": " + a.available() + "/" + a.pending() + "/" + a.growth() + "/L" + a.tier());
        entries += QUERIES.entries(program, new PersonRef(person), null, 500).size();
      }
    }
    return new Snapshot(balances, entries);
  }

  private static void assertNoDrift(String program) {
    Programs.Program p = PROGRAMS.get(program);
    for (int person = 1; person <= 3; person++) {
      QUERIES.account(p.id(), person).ifPresent(a -> assertThat(QUERIES.reconcile(a.id())).isEmpty());
    }
  }

  @Test
  void any_interleaving_of_earning_refunds_redemptions_and_expiry_keeps_the_sums_and_replays_change_nothing() {
    qt().withExamples(60).forAll(operations(), policies(), expiries()).checkAssert(LedgerProperties::holdsTheSums);
  }

  private static void holdsTheSums(List<Op> ops, String policy, ProgramConfig.Expiry expiry) {
    CLOCK.set(START);
    String program = program(policy, expiry);
    List<Op> accepted = ops.stream().filter(op -> apply(program, op)).filter(Op::input).toList();
    assertNoDrift(program);
    Snapshot before = snapshot(program);
    accepted.forEach(op -> assertThat(apply(program, op)).as("replay of %s", op).isTrue());
    assertThat(snapshot(program)).isEqualTo(before);
    assertNoDrift(program);
    if (!"unlimited".equals(policy)) {
      before.balances().forEach(b -> assertThat(b).doesNotContain(": -"));
    }
  }

  @Test
  void concurrent_redemptions_never_overspend() {
    qt().withExamples(5)
        .withShrinkCycles(0)
        .forAll(integers().between(1, 60), integers().between(2, 6))
        .checkAssert(
            (price, threads) -> {
              try {
                redeemInParallel(price, threads);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  private static void redeemInParallel(int price, int threads) throws Exception {
    CLOCK.set(START);
    String program = program("within_balance", new ProgramConfig.Expiry("never", null));
    PersonRef member = new PersonRef(1);
    for (int i = 0; i < 10; i++) {
      LEDGER.earnEvent(program, member, "review", new PointsLedger.Key("app", "review", "seed" + i), CLOCK.instant());
    }
    AtomicLong spent = new AtomicLong();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10; i++) {
                    if (LEDGER.redeem(program, member, new PointsLedger.Key("mall", "redemption", thread + "/" + i), price, "race", "p")
                        instanceof PointsLedger.Outcome.Posted p) {
                      spent.addAndGet(-p.points());
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    long available = QUERIES.balance(program, member).available();
    assertThat(spent.get()).isLessThanOrEqualTo(200);
    assertThat(available).isEqualTo(200 - spent.get()).isGreaterThanOrEqualTo(0);
    assertThat(available).isLessThan(Math.min(price, 200) + (spent.get() == 10L * threads * price ? 200 : 0));
    assertNoDrift(program);
  }

  /**
   * Concurrent earnings and redemptions on a few accounts, every input sent twice or more from different
   * threads at once: on PostgreSQL the postings of a combined batch are written together at its end and a
   * replayed key makes the batch run again posting by posting. Every key is posted once, every caller of
   * a key is answered with the same entry, the balances are the sums of what was answered, and nothing
   * drifts.
   */
  @Test
  void concurrent_postings_with_replays_are_posted_once_and_answered_alike() {
    qt().withExamples(4)
        .withShrinkCycles(0)
        .forAll(integers().between(4, 12), integers().between(1, 3))
        .checkAssert(
            (threads, copies) -> {
              try {
                postConcurrentlyWithReplays(threads, copies);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  private static void postConcurrentlyWithReplays(int threads, int copies) throws Exception {
    CLOCK.set(START);
    String program = program("within_balance", new ProgramConfig.Expiry("rolling_days", 30));
    int members = 3;
    for (int m = 1; m <= members; m++) {
      LEDGER.earnEvent(program, new PersonRef(m), "review", new PointsLedger.Key("app", "review", "seed"), CLOCK.instant());
    }
    // inputs: 40 per member, earnings (20 points) and redemptions (7 points), each sent copies + 1 times
    List<Op> inputs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      for (int m = 1; m <= members; m++) {
        inputs.add(i % 3 == 0 ? new Redeem(m, i, 7) : new Review(m, i));
      }
    }
    List<Op> sends = new ArrayList<>();
    for (int c = 0; c <= copies; c++) {
      sends.addAll(inputs);
    }
    java.util.Collections.shuffle(sends, new java.util.Random(threads * 31L + copies));
    Map<Op, java.util.Set<Long>> answers = new java.util.concurrent.ConcurrentHashMap<>();
    Map<Op, java.util.concurrent.atomic.AtomicInteger> fresh = new java.util.concurrent.ConcurrentHashMap<>();
    Map<Op, Long> points = new java.util.concurrent.ConcurrentHashMap<>();
    sendConcurrently(program, sends, threads, (op, o) -> {
      if (o instanceof PointsLedger.Outcome.Posted p) {
        answers.computeIfAbsent(op, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(p.entryId());
        points.put(op, p.points());
        if (!p.replayed()) {
          fresh.computeIfAbsent(op, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        }
      }
    });
    answers.forEach((op, entries) -> assertThat(entries).as("entries answered for %s", op).hasSize(1));
    answers.keySet().forEach(op -> assertThat(fresh.get(op)).as("first postings of %s", op).isNotNull().hasValue(1));
    for (int m = 1; m <= members; m++) {
      int member = m;
      long answered = points.entrySet().stream()
          .filter(e -> memberOf(e.getKey()) == member)
          .mapToLong(Map.Entry::getValue)
          .sum();
      assertThat(QUERIES.balance(program, new PersonRef(member)).available()).as("member %s", member).isEqualTo(20 + answered);
      assertThat(QUERIES.entries(program, new PersonRef(member), null, 500)).as("entries of member %s", member).hasSize(1 + (int) points.keySet().stream()
          .filter(op -> memberOf(op) == member)
          .count());
    }
    assertNoDrift(program);
  }

  /**
   * Concurrent earnings (with expiries in any order: the clock moves back and forth meanwhile) and
   * redemptions of up to a dozen lots, on members holding many lots: every redemption takes the lots
   * that expire first. On PostgreSQL a combined batch reads only each account's first lots; a
   * redemption that needs more, or a new lot that expires before them, must not skip a lot.
   */
  @Test
  void concurrent_redemptions_take_the_lots_that_expire_first() {
    qt().withExamples(3)
        .withShrinkCycles(0)
        .forAll(integers().between(6, 12), longs().between(200, 360))
        .checkAssert(
            (threads, largest) -> {
              try {
                redeemEarliestFirst(threads, largest);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  private static void redeemEarliestFirst(int threads, long largest) throws Exception {
    CLOCK.set(START);
    String program = program("within_balance", new ProgramConfig.Expiry("rolling_days", 30));
    int members = 2;
    for (int m = 1; m <= members; m++) {
      for (int i = 0; i < 40; i++) {
        CLOCK.set(START.plus(Duration.ofHours((i * 7L) % 30)));
        LEDGER.earnEvent(program, new PersonRef(m), "review", new PointsLedger.Key("app", "review", "seed" + i), CLOCK.instant());
      }
    }
    java.util.Random random = new java.util.Random(threads * 131L + largest);
    List<Op> sends = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // mostly one member, so that a batch often holds earnings and then a redemption of the same account
      int member = random.nextInt(8) == 0 ? 2 : 1;
      sends.add(random.nextInt(6) == 0 ? new Redeem(member, i, largest / 2 + random.nextLong(largest / 2)) : new Review(member, i));
    }
    // the clock wanders over a day and a half meanwhile, so new lots expire before, between and after the others
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread clock =
        Thread.ofPlatform().start(() -> {
          while (!done.get()) {
            CLOCK.set(START.plus(Duration.ofMinutes(random.nextInt(36 * 60))));
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
          }
        });
    try {
      sendConcurrently(program, sends, threads, (op, o) -> {});
    } finally {
      done.set(true);
      clock.join();
    }
    // a lot a redemption took from while a lot that expires earlier still held points after it (the
    // account's entries are numbered in posting order; no points are given back or expire here)
    long skipped =
        JDBC.sql(
                "SELECT COUNT(*) FROM loyalty_allocation al JOIN loyalty_entry r ON r.id = al.entry_id JOIN loyalty_lot x ON x.id = al.lot_id"
                    + " JOIN loyalty_lot y ON y.account_id = x.account_id AND y.pending = FALSE AND y.entry_id < r.id"
                    + " AND (y.expires_at < x.expires_at OR (y.expires_at = x.expires_at AND y.id < x.id))"
                    + " WHERE r.type = 'REDEEM' AND r.program_id = ?"
                    + " AND y.original > (SELECT COALESCE(SUM(t.points), 0) FROM loyalty_allocation t WHERE t.lot_id = y.id AND t.entry_id <= r.id)")
            .param(PROGRAMS.get(program).id())
            .query(Long.class)
            .single();
    assertThat(skipped).as("lots skipped by redemptions").isZero();
    long redeemed =
        JDBC.sql("SELECT COUNT(*) FROM loyalty_entry WHERE type = 'REDEEM' AND program_id = ?").param(PROGRAMS.get(program).id()).query(Long.class).single();
    assertThat(redeemed).as("redemptions posted").isPositive();
    assertNoDrift(program);
  }

  /**
   * Sends every earning ({@link Review}) and redemption ({@link Redeem}) of {@code sends} from {@code threads}
   * threads at once, each taking the next one not sent yet; {@code answered} gets each input with its outcome.
   */
  private static void sendConcurrently(String program, List<Op> sends, int threads, java.util.function.BiConsumer<Op, PointsLedger.Outcome> answered)
      throws Exception {
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i; (i = next.getAndIncrement()) < sends.size(); ) {
                    Op op = sends.get(i);
                    PointsLedger.Outcome o =
                        switch (op) {
                          case Review r ->
                              LEDGER.earnEvent(
                                  program, new PersonRef(r.person()), "review", new PointsLedger.Key("app", "review", "c" + r.id()), CLOCK.instant());
                          case Redeem r ->
                              LEDGER.redeem(
                                  program, new PersonRef(r.person()), new PointsLedger.Key("mall", "redemption", "c" + r.id()), r.points(), "gift", "p");
                          default -> throw new IllegalStateException();
                        };
                    answered.accept(op, o);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
  }

  private static int memberOf(Op op) {
    return switch (op) {
      case Review r -> r.person();
      case Redeem r -> r.person();
      default -> 0;
    };
  }
}
