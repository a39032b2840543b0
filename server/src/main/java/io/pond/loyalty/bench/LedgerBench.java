package io.pond.loyalty.bench;

import io.pond.loyalty.PersonRef;
import io.pond.loyalty.ledger.EarningImport;
import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.program.Programs;
import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pond bench ledger}: the points ledger on PostgreSQL next to {@code pgbench}'s built-in
 * TPC-B-like script on the same server, with durable commits ({@code synchronous_commit} as the server
 * has it, normally {@code on}). Measures earn/redeem postings on many accounts, the same on one hot
 * account, and a batched earning import; prints the figures and the ratio to pgbench on the last line.
 */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Points ledger tx/s on PostgreSQL next to pgbench's TPC-B-like script.")
public final class LedgerBench implements Callable<Integer>, PondCommand {

  private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*");
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");
  private static final String SCHEMA = "pond_ledger_bench";

  @Override
  public String group() {
    return "bench";
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--db-url", description = "PostgreSQL server and database to use (created if missing; default: POND_DB_URL's server, database pond_bench)")
  String dbUrl;

  @Option(names = "--seconds", description = "Length of each timed run (default ${DEFAULT-VALUE})", defaultValue = "15")
  int seconds;

  /**
   * 64: a checkout or an order feed under load has many requests in flight, and a durable ledger answers
   * them by committing many postings per disk flush; pgbench gets the same number of clients.
   */
  @Option(names = "--clients", description = "Concurrent clients, for Pond and for pgbench (default ${DEFAULT-VALUE})", defaultValue = "64")
  int clients;

  @Option(names = "--accounts", description = "Member accounts (default ${DEFAULT-VALUE})", defaultValue = "10000")
  int accounts;

  @Option(names = "--import-postings", description = "Postings in the batched import (default ${DEFAULT-VALUE})", defaultValue = "200000")
  int importPostings;

  @Option(names = "--warmup", description = "Seconds of earn/redeem before the timed runs, not counted (and, when not 0, an import of"
      + " a quarter of --import-postings for other members before the timed import): the JIT compiles the posting path first, as"
      + " it has in a running server; on a slow 2-core machine 10 s left the compiler threads using as much CPU as the ledger"
      + " (default ${DEFAULT-VALUE})", defaultValue = "30")
  int warmup;

  @Option(names = "--embedded", description = "Run the ledger on the embedded default store (H2 in a temporary data dir) instead; no pgbench")
  boolean embedded;

  /** Business ids of the timed postings, unique over all phases. */
  private final AtomicLong businessIds = new AtomicLong();

  /** The PostgreSQL database the benchmark runs on; none on the embedded store. */
  private String database;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (embedded) {
      return embedded(out);
    }
    String url = dbUrl != null ? dbUrl : defaultUrl();
    Matcher m = JDBC_URL.matcher(url);
    if (!m.matches()) {
      out.println("--db-url must look like jdbc:postgresql://host[:port]/database, not " + url);
      return 2;
    }
    String host = m.group(1);
    String port = m.group(2) == null ? "5432" : m.group(2);
    database = m.group(3);
    String user = env("POND_DB_USER", "postgres");
    String password = env("POND_DB_PASSWORD", "");
    createDatabase(host, port, database, user, password);
    String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
    String durability;
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      s.execute("CREATE SCHEMA " + SCHEMA);
      try (ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
        rs.next();
        durability = rs.getString(1);
      }
    }
    out.printf(Locale.ROOT, "ledger bench on %s (schema %s), synchronous_commit=%s, %d clients, %d s per run after %d s of warm-up, load %s%n",
        url, SCHEMA, durability, clients, seconds, warmup, loadAverage());

    Path dataDir = Files.createTempDirectory("pond-bench-ledger");
    System.setProperty("POND_DB_URL", schemaUrl);
    double[] pond;
    try {
      pond = Jobs.withContext(dataDir.toString(), context -> runPond(context, out));
    } finally {
      System.clearProperty("POND_DB_URL");
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    double pgbench = pgbench(host, port, database, user, password, out);
    out.printf(Locale.ROOT,
        "ledger bench: earn/redeem %.0f tx/s, pgbench tpcb-like %.0f tx/s, ratio pond/pgbench %.2f; hot account %.0f tx/s; batched import %.0f postings/s (load %s)%n",
        pond[0], pgbench, pond[0] / pgbench, pond[1], pond[2], loadAverage());
    return 0;
  }

  /** The same runs on the embedded default (H2, durable: every commit is written before it is acknowledged). */
  private int embedded(PrintWriter out) throws Exception {
    out.printf(Locale.ROOT, "ledger bench on the embedded store (H2), %d clients, %d s per run, load %s%n", clients, seconds, loadAverage());
    Path dataDir = Files.createTempDirectory("pond-bench-ledger");
    String previous = System.getProperty("POND_DB_URL");
    System.clearProperty("POND_DB_URL");
    double[] pond;
    try {
      pond = Jobs.withContext(dataDir.toString(), context -> runPond(context, out));
    } finally {
      if (previous != null) {
        System.setProperty("POND_DB_URL", previous);
      }
      try (Stream<Path> paths = Files.walk(dataDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    out.printf(Locale.ROOT, "ledger bench (embedded H2): earn/redeem %.0f tx/s; hot account %.0f tx/s; batched import %.0f postings/s (load %s)%n",
        pond[0], pond[1], pond[2], loadAverage());
    return 0;
  }

  private double[] runPond(org.springframework.context.ConfigurableApplicationContext context, PrintWriter out) {
    Programs programs = context.getBean(Programs.class);
    PointsLedger ledger = context.getBean(PointsLedger.class);
    EarningImport importer = context.getBean(EarningImport.class);
    LedgerQueries queries = context.getBean(LedgerQueries.class);
    String program = "bench";
    programs.create(
        program, "ledger bench",
        new ProgramConfig(null, null,
            new ProgramConfig.Earning(BigDecimal.ONE, BigDecimal.ONE, List.of(), List.of(), null, null,
                Map.of("review", new ProgramConfig.EventReward(10L, 0))),
            null, null, null, null, null, null),
        "bench");

    Instant now = Instant.now();
    if (warmup > 0) {
      // the import's own warm-up (not counted): a quarter of the postings, for other members, so that the
      // timed import runs compiled code and still creates its accounts
      List<EarningImport.Earning> warm = new ArrayList<>();
      for (int i = 0; i < importPostings / 4; i++) {
        warm.add(new EarningImport.Earning(new PersonRef(accounts + 1 + i % Math.max(1, accounts / 4)), "warm-" + i, 1_000, "bench warm-up", now));
      }
      long w0 = System.nanoTime();
      EarningImport.Result warmed = importer.run(program, "bench-warmup", warm);
      out.printf(Locale.ROOT, "import warm-up (not counted): %d postings in %.2f s%n", warmed.posted(), (System.nanoTime() - w0) / 1e9);
    }
    // batched import: every account gets a starting balance, so that redemptions succeed
    List<EarningImport.Earning> earnings = new ArrayList<>(importPostings);
    for (int i = 0; i < importPostings; i++) {
      earnings.add(new EarningImport.Earning(new PersonRef(1 + i % accounts), "seed-" + i, 1_000, "bench seed", now));
    }
    Cpu cpu = Cpu.of(database);
    long t0 = System.nanoTime();
    EarningImport.Result imported = importer.run(program, "bench", earnings);
    double importRate = imported.posted() / ((System.nanoTime() - t0) / 1e9);
    out.printf(Locale.ROOT, "batched import: %d postings in %.2f s = %.0f postings/s; %s%n", imported.posted(), (System.nanoTime() - t0) / 1e9,
        importRate, cpu.per(imported.posted(), "posting"));

    org.springframework.jdbc.core.simple.JdbcClient jdbc = context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
    backlog(out, jdbc, "after the import");
    java.util.function.IntSupplier anyAccount = () -> 1 + ThreadLocalRandom.current().nextInt(accounts);
    if (warmup > 0) {
      timed(out, "warm-up (not counted)", warmup, anyAccount, ledger, program);
    }
    double spread = timed(out, "earn/redeem on " + accounts + " accounts", seconds, anyAccount, ledger, program);
    backlog(out, jdbc, "after earn/redeem");
    double hot = timed(out, "earn/redeem on one hot account", seconds, () -> 1, ledger, program);
    backlog(out, jdbc, "after the hot account");

    List<Long> ids = queries.accountIds();
    long drifts = 0;
    for (int i = 0; i < ids.size(); i += Math.max(1, ids.size() / 200)) {
      drifts += queries.reconcile(ids.get(i)).size();
    }
    out.printf(Locale.ROOT, "reconcile of %d sampled accounts: %s%n", Math.min(ids.size(), 200), drifts == 0 ? "no drift" : drifts + " drifts");
    return new double[] {spread, hot, importRate};
  }

  /**
   * Events whose module listeners (other modules, after commit, each in its own transaction) have not
   * run yet: postings are acknowledged when durable, their downstream work follows.
   */
  private static void backlog(PrintWriter out, org.springframework.jdbc.core.simple.JdbcClient jdbc, String when) {
    try {
      long open = jdbc.sql("SELECT COUNT(*) FROM event_publication WHERE completion_date IS NULL").query(Long.class).single();
      out.printf(Locale.ROOT, "event deliveries to other modules still open %s: %d%n", when, open);
    } catch (RuntimeException e) {
      out.printf(Locale.ROOT, "event deliveries still open %s: unknown (%s)%n", when, e.getMessage());
    }
  }

  /** {@code clients} threads post for {@code seconds}: half earn (an event), half redeem 10 points. */
  private double timed(
      PrintWriter out, String label, int seconds, java.util.function.IntSupplier account, PointsLedger ledger, String program) {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t =
          Thread.ofPlatform().start(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < end) {
              PersonRef person = new PersonRef(account.getAsInt());
              // a counter, not a random UUID: SecureRandom is client work pgbench does not do either
              String id = Long.toString(businessIds.incrementAndGet());
              PointsLedger.Outcome outcome =
                  random.nextBoolean()
                      ? ledger.earnEvent(program, person, "review", new PointsLedger.Key("bench", "review", id), Instant.now())
                      : ledger.redeem(program, person, new PointsLedger.Key("bench", "redemption", id), 10, "bench", "bench");
              if (outcome instanceof PointsLedger.Outcome.Posted) {
                done.incrementAndGet();
              }
            }
          });
      threads.add(t);
    }
    Cpu cpu = Cpu.of(database);
    long start = System.nanoTime();
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    double rate = done.get() / ((System.nanoTime() - start) / 1e9);
    out.printf(Locale.ROOT, "%s: %d postings = %.0f tx/s; %s (load %s)%n", label, done.get(), rate, cpu.per(done.get(), "tx"), loadAverage());
    return rate;
  }

  private double pgbench(String host, String port, String database, String user, String password, PrintWriter out)
      throws IOException, InterruptedException {
    int scale = Math.max(1, clients);
    run(List.of("pgbench", "-i", "-q", "-s", Integer.toString(scale), "-h", host, "-p", port, "-U", user, database), password);
    Cpu cpu = Cpu.of(database);
    String report =
        run(List.of("pgbench", "-b", "tpcb-like", "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 4)),
            "-T", Integer.toString(seconds), "-h", host, "-p", port, "-U", user, database), password);
    Matcher tps = TPS.matcher(report);
    if (!tps.find()) {
      throw new IllegalStateException("pgbench printed no tps:\n" + report);
    }
    double rate = Double.parseDouble(tps.group(1));
    Matcher count = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(report);
    long transactions = count.find() ? Long.parseLong(count.group(1)) : Math.round(rate * seconds);
    out.printf(Locale.ROOT, "pgbench tpcb-like, scale %d: %.0f tx/s; %s (load %s)%n", scale, rate, cpu.per(transactions, "tx"), loadAverage());
    return rate;
  }

  private static String run(List<String> command, String password) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (!password.isEmpty()) {
      builder.environment().put("PGPASSWORD", password);
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }

  private static void createDatabase(String host, String port, String database, String user, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
    }
  }

  private static String defaultUrl() {
    String configured = System.getenv("POND_DB_URL");
    if (configured != null) {
      Matcher m = JDBC_URL.matcher(configured);
      if (m.matches()) {
        return "jdbc:postgresql://" + m.group(1) + ":" + (m.group(2) == null ? "5432" : m.group(2)) + "/pond_bench";
      }
    }
    return "jdbc:postgresql://127.0.0.1:5432/pond_bench";
  }

  /**
   * CPU time of this JVM and of the PostgreSQL backends serving the benchmark's database during a phase,
   * to report CPU per transaction: on a shared machine throughput says more about the other load than
   * about the code, CPU per transaction does not. Backends are told apart by their process title
   * ({@code postgres: user database host …}), so other databases' work on the same server is not
   * counted, nor is the server's shared background work (WAL writer, checkpointer). A sampler reads them
   * every 100 ms while the phase runs, so that backends which end with the phase (pgbench's) count too.
   */
  private static final class Cpu {
    private final long jvmNanos = jvmNanos();
    private final Map<Integer, long[]> backends = new java.util.concurrent.ConcurrentHashMap<>(); // pid -> first, last ticks
    private final Thread sampler;
    private volatile boolean running = true;

    private Cpu(String database) {
      sample(database);
      sampler =
          Thread.ofPlatform().daemon().start(() -> {
            while (running) {
              sample(database);
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
            }
          });
    }

    static Cpu of(String database) {
      return new Cpu(database);
    }

    private static long jvmNanos() {
      return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    String per(long transactions, String unit) {
      running = false;
      sampler.interrupt();
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      double n = Math.max(1, transactions);
      long ticks = backends.values().stream().mapToLong(t -> t[1] - t[0]).sum();
      // clock ticks are 1/100 s on Linux
      return String.format(Locale.ROOT, "CPU per %s: JVM %.0f µs, PostgreSQL backends %.0f µs", unit, (jvmNanos() - jvmNanos) / 1e3 / n,
          ticks * 10_000.0 / n);
    }

    private void sample(String database) {
      if (database == null) {
        return;
      }
      boolean first = backends.isEmpty();
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path p : (Iterable<Path>) procs::iterator) {
          String name = p.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String title = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
            if (!title.startsWith("postgres: ") || !title.contains(" " + database + " ")) {
              continue;
            }
            String stat = Files.readString(p.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            // a backend seen at the start counts from there; one that starts later counts from zero
            backends.compute(Integer.parseInt(name), (pid, t) -> t == null ? new long[] {first ? ticks : 0, ticks} : new long[] {t[0], ticks});
          } catch (IOException | RuntimeException gone) {
            // the process ended meanwhile
          }
        }
      } catch (IOException e) {
        // no /proc: no PostgreSQL figure
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
