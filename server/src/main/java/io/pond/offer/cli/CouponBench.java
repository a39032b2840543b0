package io.pond.offer.cli;

import io.pond.offer.coupon.Claims;
import io.pond.offer.coupon.IssueOutcome;
import io.pond.offer.coupon.Issuing;
import io.pond.offer.coupon.TemplateSpec;
import io.pond.offer.coupon.domain.CouponCodes;
import io.pond.offer.coupon.Templates;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pond bench coupons}: many concurrent members claim one template with an exact stock (more
 * claimers than stock, one coupon per member). Pond's claim path — in-memory allocator, group-committed
 * writes — runs first, then the peer: the same claim the plain way on the same database and tables,
 * one transaction per claim doing {@code UPDATE … SET issued = issued + 1 WHERE issued < total_stock}
 * (the {@code stock = stock - 1 WHERE stock > 0} loop) and inserting the coupon. Both must end
 * with exactly the stock issued; the store is then reopened to check the count survives a restart.
 * Claims/s side by side on the last line.
 */
@Command(name = "coupons", mixinStandardHelpOptions = true, description = "Coupon claims/s on one template with exact stock, next to a plain SQL stock-decrement loop.")
public final class CouponBench implements Callable<Integer>, PondCommand {

  @Override
  public String group() {
    return "bench";
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--stock", description = "Stock of the template Pond claims (default ${DEFAULT-VALUE})", defaultValue = "100000")
  long stock;

  @Option(names = "--peer-stock", description = "Stock the peer claims (default ${DEFAULT-VALUE})", defaultValue = "20000")
  long peerStock;

  @Option(names = "--concurrency", description = "Concurrent claimers (default ${DEFAULT-VALUE})", defaultValue = "256")
  int concurrency;

  @Option(names = "--data-dir", description = "Data directory (default: a new temporary one, removed afterwards)")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (stock < 1 || peerStock < 1 || concurrency < 1 || concurrency > 10_000) {
      spec.commandLine().getErr().println("--stock and --peer-stock must be positive, --concurrency between 1 and 10000");
      return 2;
    }
    Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("pond-bench-coupons");
    String store = System.getenv("POND_DB_URL") != null && System.getenv("POND_DB_URL").startsWith("jdbc:postgresql:") ? "PostgreSQL" : "embedded H2";
    out.printf(Locale.ROOT, "%d cores, load average %.1f, %s store, %d concurrent claimers (figures are wall-clock; a loaded machine slows both sides)%n",
        Runtime.getRuntime().availableProcessors(), load(), store, concurrency);
    out.flush();
    String template = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      double[] rates = Jobs.withContext(dir.toString(), context -> {
        warmUp(context);
        Claims.Stats before = context.getBean(Claims.class).stats();
        Result pond = pond(context, template, stock, (int) Math.min(Integer.MAX_VALUE - 1, stock + stock / 5 + concurrency));
        Claims.Stats after = context.getBean(Claims.class).stats();
        long groups = after.groups() - before.groups();
        out.printf(Locale.ROOT, "writer : %,d groups, %.0f coupons per group on average, %.1f s writing%n", groups,
            groups == 0 ? 0.0 : (after.coupons() - before.coupons()) / (double) groups, (after.writeMillis() - before.writeMillis()) / 1000.0);
        out.printf(Locale.ROOT, "pond   : %,d claims (%,d issued, %,d out of stock) in %.2f s = %,.0f claims/s, issued count %,d of stock %,d%n",
            pond.attempts(), pond.issued(), pond.refused(), pond.seconds(), pond.attempts() / pond.seconds(), pond.stored(), stock);
        out.printf(Locale.ROOT, "pond   : %.1f s of process CPU = %,.0f claims per CPU-second%n", pond.cpuSeconds(), pond.perCpuSecond());
        out.flush();
        Result peer = peer(context, template + "-peer", peerStock, (int) (peerStock + peerStock / 5 + concurrency));
        out.printf(Locale.ROOT, "peer   : %,d claims (%,d issued, %,d out of stock) in %.2f s = %,.0f claims/s, issued count %,d of stock %,d (UPDATE … SET issued = issued + 1 WHERE issued < total_stock + INSERT, one transaction per claim, %d claimers = the connection pool)%n",
            peer.attempts(), peer.issued(), peer.refused(), peer.seconds(), peer.attempts() / peer.seconds(), peer.stored(), peerStock, peerThreads(context.getBean(DataSource.class)));
        out.printf(Locale.ROOT, "peer   : %.1f s of process CPU = %,.0f claims per CPU-second%n", peer.cpuSeconds(), peer.perCpuSecond());
        if (pond.issued() != stock || pond.stored() != stock || peer.issued() != peerStock || peer.stored() != peerStock) {
          throw new IllegalStateException("issued count differs from the stock");
        }
        return new double[] {pond.attempts() / pond.seconds(), peer.attempts() / peer.seconds(), pond.perCpuSecond(), peer.perCpuSecond()};
      });
      long afterRestart = Jobs.withContext(dir.toString(), context -> {
        Issuing issuing = context.getBean(Issuing.class);
        IssueOutcome again = issuing.claim(template, Integer.MAX_VALUE - 7, null);
        if (!(again instanceof IssueOutcome.Refused r) || !r.reason().equals("out_of_stock")) {
          throw new IllegalStateException("a claim after the restart was not refused for stock: " + again);
        }
        return stored(context, template);
      });
      out.printf(Locale.ROOT, "restart: store reopened, a further claim is refused out_of_stock, issued count still %,d%n", afterRestart);
      if (afterRestart != stock) {
        throw new IllegalStateException("issued count changed across the restart");
      }
      out.printf(Locale.ROOT, "coupon claims/s: pond %,.0f vs peer %,.0f (%.1fx), per CPU-second pond %,.0f vs peer %,.0f, exact stock on both, %s, load average %.1f%n",
          rates[0], rates[1], rates[0] / rates[1], rates[2], rates[3], store, load());
      return 0;
    } finally {
      if (dataDir == null) {
        try (Stream<Path> paths = Files.walk(dir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private record Result(long attempts, long issued, long refused, double seconds, long stored, double cpuSeconds) {
    /** Claims per second of this process's CPU time: what a loaded machine does not distort. */
    double perCpuSecond() {
      return cpuSeconds <= 0 ? 0 : attempts / cpuSeconds;
    }
  }

  private static double cpu() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() / 1e9 : 0;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static TemplateSpec spec(String code, long stock) {
    return new TemplateSpec(code, "bench", "fixed", 500L, null, null, null, null, null, null, null, null, null, null, null, null, 30, null, stock, 1,
        null, null, null, null, null, null);
  }

  private void warmUp(ConfigurableApplicationContext context) {
    pond(context, "warm-" + UUID.randomUUID().toString().substring(0, 8), 5_000, 6_000);
  }

  private Result pond(ConfigurableApplicationContext context, String template, long stock, int attempts) {
    context.getBean(Templates.class).create(spec(template, stock), "bench");
    Issuing issuing = context.getBean(Issuing.class);
    AtomicInteger next = new AtomicInteger();
    AtomicLong issued = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long start = System.nanoTime();
    double cpuStart = cpu();
    run(() -> {
      int person;
      while ((person = next.incrementAndGet()) <= attempts) {
        if (issuing.claim(template, person, null) instanceof IssueOutcome.Issued) {
          issued.incrementAndGet();
        } else {
          refused.incrementAndGet();
        }
      }
      return null;
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(attempts, issued.get(), refused.get(), seconds, stored(context, template), cpu() - cpuStart);
  }

  private static long stored(ConfigurableApplicationContext context, String template) {
    return context.getBean(JdbcClient.class)
        .sql("SELECT COUNT(*) FROM offer_coupon c JOIN offer_template t ON t.id = c.template_id WHERE t.code = ?")
        .param(template)
        .query(Long.class)
        .single();
  }

  /**
   * The same claim done the plain way, on the same tables: per claim one transaction that takes the
   * stock with {@code UPDATE offer_template SET issued = issued + 1 WHERE … AND issued < total_stock}
   * and inserts the coupon row (same columns, same indexes, the unique member sequence as the limit).
   */
  private Result peer(ConfigurableApplicationContext context, String template, long stock, int attempts) {
    context.getBean(Templates.class).create(spec(template, stock), "bench");
    long templateId = context.getBean(Templates.class).byCode(template).id();
    DataSource data = context.getBean(DataSource.class);
    AtomicInteger next = new AtomicInteger();
    AtomicLong issued = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long start = System.nanoTime();
    double cpuStart = cpu();
    run(() -> {
      int person;
      while ((person = next.incrementAndGet()) <= attempts) {
        try (Connection c = data.getConnection()) {
          c.setAutoCommit(false);
          try (PreparedStatement take = c.prepareStatement("UPDATE offer_template SET issued = issued + 1 WHERE id = ? AND issued < total_stock")) {
            take.setLong(1, templateId);
            if (take.executeUpdate() == 1) {
              long serial;
              try (PreparedStatement read = c.prepareStatement("SELECT issued FROM offer_template WHERE id = ?")) {
                read.setLong(1, templateId);
                try (var rs = read.executeQuery()) {
                  rs.next();
                  serial = rs.getLong(1);
                }
              }
              try (PreparedStatement claim = c.prepareStatement(
                  "INSERT INTO offer_coupon (template_id, serial, person_id, member_seq, code, status, source, valid_from, valid_until, issued_at)"
                      + " VALUES (?, ?, ?, 1, ?, 'ISSUED', 'claim', ?, ?, ?)")) {
                Timestamp now = new Timestamp(System.currentTimeMillis());
                claim.setLong(1, templateId);
                claim.setLong(2, serial);
                claim.setInt(3, person);
                claim.setString(4, CouponCodes.next());
                claim.setTimestamp(5, now);
                claim.setTimestamp(6, new Timestamp(now.getTime() + 30L * 86_400_000));
                claim.setTimestamp(7, now);
                claim.executeUpdate();
              }
              c.commit();
              issued.incrementAndGet();
            } else {
              c.rollback();
              refused.incrementAndGet();
            }
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
      }
      return null;
    }, peerThreads(data));
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(attempts, issued.get(), refused.get(), seconds, stored(context, template), cpu() - cpuStart);
  }

  /** The peer holds a connection per claim: more claimers than pooled connections only queue (and time out). */
  private int peerThreads(DataSource data) {
    int pool = data instanceof com.zaxxer.hikari.HikariDataSource h ? h.getMaximumPoolSize() : 16;
    return Math.min(concurrency, pool);
  }

  private void run(Callable<Void> claimer) {
    run(claimer, concurrency);
  }

  private void run(Callable<Void> claimer, int threads) {
    List<Future<Void>> workers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < threads; i++) {
        workers.add(pool.submit(claimer));
      }
    }
    for (Future<Void> w : workers) {
      try {
        w.get();
      } catch (Exception e) {
        throw new IllegalStateException("a claimer failed", e);
      }
    }
  }
}
