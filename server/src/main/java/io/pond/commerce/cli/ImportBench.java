package io.pond.commerce.cli;

import io.pond.commerce.importing.OrderImport;
import io.pond.commerce.order.domain.Channel;
import io.pond.platform.cli.Jobs;
import io.pond.platform.events.EventBacklog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import io.pond.platform.cli.PondCommand;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pond bench import}: writes a realistic Taobao order export (Chinese headers, one row per
 * sub-order, 1–3 lines per order), imports it into fresh stores, imports it again (nothing changes),
 * and loads the same file with the peer — DuckDB {@code read_csv} + INSERT, or PostgreSQL COPY when
 * {@code POND_DB_URL} points at PostgreSQL — printing orders/s and the ratio on the last line.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Order import rate next to DuckDB read_csv (or PostgreSQL COPY).")
public final class ImportBench implements Callable<Integer>, PondCommand {

  @Override
  public String group() {
    return "bench";
  }


  static final String HEADER =
      "订单编号,子订单编号,买家open_uid,订单状态,买家实付金额,运费,优惠金额,商品名称,商家编码,商品类目,购买数量,商品价格,下单时间,付款时间,发货时间,完成时间";

  private static final String[] STATUSES = {"交易成功", "交易成功", "交易成功", "卖家已发货", "买家已付款", "交易关闭", "等待买家付款"};
  private static final String[] CATEGORIES = {"美妆>面部护理", "美妆>彩妆", "个护>洗发护发", "食品>零食", "母婴>奶粉", "服饰>女装"};
  private static final String[] PRODUCTS = {"氨基酸洁面乳 120g", "玻尿酸补水面膜 10片", "控油去屑洗发水 500ml", "坚果礼盒 1.2kg", "婴儿配方奶粉 3段 800g", "真丝衬衫 M"};
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--orders", description = "Orders in the generated export (default ${DEFAULT-VALUE})", defaultValue = "200000")
  int orders;

  @Option(names = "--work-dir", description = "Where to put the file and the fresh stores (default: a temporary directory)")
  Path workDir;

  @Option(names = "--keep", description = "Keep the work directory")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("pond-bench-import");
    try {
      Path file = dir.resolve("taobao-orders.csv");
      long rows = generate(file, orders, 42);
      out.printf(Locale.ROOT, "file: %s, %d orders, %d rows, %.1f MB%n", file, orders, rows, Files.size(file) / 1e6);

      String pgUrl = System.getenv("POND_DB_URL");
      boolean postgres = pgUrl != null && pgUrl.startsWith("jdbc:postgresql:");
      String schema = "bench_" + UUID.randomUUID().toString().substring(0, 8);
      if (postgres) {
        System.setProperty("POND_DB_URL", withSchema(pgUrl, schema));
      }
      double[] rates;
      try {
        rates = Jobs.withContext(dir.resolve("data").toString(), context -> {
          OrderImport importer = context.getBean(OrderImport.class);
          StoreWrites writes = StoreWrites.of(context.getBean(javax.sql.DataSource.class));
          double first = timed(importer, file, out, "pond import (new orders)");
          drained(context.getBean(EventBacklog.class), out);
          writes.print(out, orders);
          storeSize(dir.resolve("data"), out);
          double again = timed(importer, file, out, "pond re-import (unchanged)");
          return new double[] {first, again};
        });
      } finally {
        if (postgres) {
          System.clearProperty("POND_DB_URL");
        }
      }
      double peer;
      String peerName;
      if (postgres) {
        peerName = "postgresql COPY";
        peer = postgresCopy(file, pgUrl, schema, out);
      } else {
        peerName = "duckdb read_csv+insert";
        peer = duckDb(file, dir.resolve("peer.duckdb"), out);
        h2Floor(file, dir.resolve("floor"), out);
      }
      out.printf(Locale.ROOT, "ratio pond/%s: %.2f (pond %.0f orders/s, %s %.0f orders/s, %s)%n", peerName, rates[0] / peer,
          rates[0], peerName, peer, postgres ? "PostgreSQL OLTP" : "embedded H2 OLTP");
      return 0;
    } finally {
      if (!keep && workDir == null) {
        try (Stream<Path> paths = Files.walk(dir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static double timed(OrderImport importer, Path file, PrintWriter out, String label) {
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    OrderImport.Result r;
    try (InputStream in = Files.newInputStream(file)) {
      r = importer.run(in, file.getFileName().toString(), Channel.TAOBAO, "bench-shop", rows -> {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = (processCpuNanos() - cpuStart) / 1e9;
    double rate = r.orders() / seconds;
    out.printf(Locale.ROOT, "%s: %d orders (%d new, %d unchanged) in %.2fs = %.0f orders/s; %.2f CPU-s = %.0f orders per CPU-second%n",
        label, r.orders(), r.created(), r.unchanged(), seconds, rate, cpu, r.orders() / cpu);
    return rate;
  }

  /**
   * Waits until the listeners of the import's events (identity resolution of the buyers) have caught
   * up — every publication completed — and prints how long that took after the import returned.
   */
  private static void drained(EventBacklog backlog, PrintWriter out) {
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    long open = backlog.awaitDrained(java.time.Duration.ofSeconds(600), n -> {});
    if (open > 0) {
      out.printf(Locale.ROOT, "listeners still busy after 600s (%d publications outstanding)%n", open);
      return;
    }
    out.printf(Locale.ROOT, "listeners (identity, profile, loyalty, segment, offer) caught up %.2fs after the import returned"
        + " (%.2f CPU-s)%n", (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpuStart) / 1e9);
  }

  /**
   * What the embedded H2 store wrote since it was made: stores (one per commit with {@code
   * WRITE_DELAY=0}) and bytes. Steadier than CPU time from run to run, so it shows quickly whether a
   * change writes less. Prints nothing on PostgreSQL.
   */
  record StoreWrites(org.h2.mvstore.MVStore store, long version, long bytes) {

    static StoreWrites of(javax.sql.DataSource dataSource) {
      try (Connection c = dataSource.getConnection()) {
        if (!c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)
            || !(c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal session)) {
          return new StoreWrites(null, 0, 0);
        }
        org.h2.mvstore.MVStore store = session.getDatabase().getStore().getMvStore();
        return new StoreWrites(store, store.getCurrentVersion(), bytesWritten(store));
      } catch (SQLException e) {
        throw new IllegalStateException("could not reach the store", e);
      }
    }

    void print(PrintWriter out, int orders) {
      if (store != null) {
        long stores = store.getCurrentVersion() - version;
        long bytes = bytesWritten(store) - this.bytes;
        out.printf(Locale.ROOT, "H2 stores (commits that wrote pages): %d = %.1f per 1,000 orders; %.0f MB written = %.1f KB per order%n",
            stores, stores * 1000.0 / orders, bytes / 1e6, bytes / 1e3 / orders);
      }
    }

    private static long bytesWritten(org.h2.mvstore.MVStore store) {
      try {
        java.lang.reflect.Field f = org.h2.mvstore.FileStore.class.getDeclaredField("writeBytes");
        f.setAccessible(true);
        return ((java.util.concurrent.atomic.AtomicLong) f.get(store.getFileStore())).get();
      } catch (ReflectiveOperationException e) {
        return 0;
      }
    }
  }

  /** The embedded OLTP file's size (H2 appends changed pages and reuses the space later: it shows write amplification). */
  private static void storeSize(Path data, PrintWriter out) {
    Path h2 = data.resolve("oltp").resolve("pond.mv.db");
    try {
      if (Files.exists(h2)) {
        out.printf(Locale.ROOT, "H2 file: %.0f MB%n", Files.size(h2) / 1e6);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * CPU time of the whole process (every thread, the listeners included). On a machine shared with
   * other work, orders per CPU-second is steadier than orders per wall-clock second.
   */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Writes {@code orders} orders of a realistic export; returns the number of data rows. */
  static long generate(Path file, int orders, long seed) throws IOException {
    Random random = new Random(seed);
    LocalDateTime start = LocalDateTime.of(2024, 1, 1, 0, 0);
    long rows = 0;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.newLine();
      for (int o = 0; o < orders; o++) {
        String tid = String.valueOf(3_800_000_000_000_000_000L + o * 7919L);
        String buyer = "AAH" + Long.toString(Math.abs(random.nextLong() % 40_000_000L), 36) + "Qx";
        String status = STATUSES[random.nextInt(STATUSES.length)];
        LocalDateTime created = start.plusSeconds(random.nextInt(365 * 24 * 3600));
        boolean paid = !status.equals("等待买家付款");
        LocalDateTime paidAt = paid ? created.plusSeconds(30 + random.nextInt(600)) : null;
        LocalDateTime shipped = paid && !status.equals("买家已付款") && !status.equals("交易关闭") ? paidAt.plusHours(4 + random.nextInt(40)) : null;
        LocalDateTime done = status.equals("交易成功") ? shipped.plusDays(3 + random.nextInt(7)) : null;
        int lines = 1 + (random.nextInt(10) < 6 ? 0 : random.nextInt(10) < 7 ? 1 : 2);
        long[] price = new long[lines];
        int[] qty = new int[lines];
        int[] product = new int[lines];
        long goods = 0;
        for (int l = 0; l < lines; l++) {
          product[l] = random.nextInt(PRODUCTS.length);
          price[l] = (29 + random.nextInt(470)) * 100L + (random.nextBoolean() ? 90 : 0);
          qty[l] = 1 + (random.nextInt(10) < 8 ? 0 : random.nextInt(3));
          goods += price[l] * qty[l];
        }
        long discount = goods > 20000 ? (goods / 10) / 100 * 100 : 0;
        long shipping = goods > 9900 ? 0 : 800;
        long payment = goods - discount + shipping;
        for (int l = 0; l < lines; l++) {
          StringBuilder row = new StringBuilder(220);
          row.append("=\"").append(tid).append("\",")
              .append(tid).append(String.format(Locale.ROOT, "%02d", l + 1)).append(',')
              .append(buyer).append(',')
              .append(status).append(',')
              .append(yuan(payment)).append(',')
              .append(yuan(shipping)).append(',')
              .append(yuan(discount)).append(',')
              .append(PRODUCTS[product[l]]).append(',')
              .append("SKU-").append(product[l]).append('-').append(price[l] % 7).append(',')
              .append(CATEGORIES[product[l]]).append(',')
              .append(qty[l]).append(',')
              .append(yuan(price[l])).append(',')
              .append(created.format(TIME)).append(',')
              .append(paidAt == null ? "" : paidAt.format(TIME)).append(',')
              .append(shipped == null ? "" : shipped.format(TIME)).append(',')
              .append(done == null ? "" : done.format(TIME));
          w.write(row.toString());
          w.newLine();
          rows++;
        }
      }
    }
    return rows;
  }

  private static String yuan(long fen) {
    return String.format(Locale.ROOT, "%d.%02d", fen / 100, fen % 100);
  }

  private static final String PEER_TABLE =
      "(order_id VARCHAR, line_id VARCHAR, buyer VARCHAR, status VARCHAR, paid DECIMAL(12,2), shipping DECIMAL(12,2),"
          + " discount DECIMAL(12,2), title VARCHAR, sku VARCHAR, category VARCHAR, quantity INTEGER, price DECIMAL(12,2),"
          + " created_at TIMESTAMP, paid_at TIMESTAMP, shipped_at TIMESTAMP, completed_at TIMESTAMP, PRIMARY KEY (order_id, line_id))";

  private double duckDb(Path file, Path db, PrintWriter out) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_orders " + PEER_TABLE);
      long start = System.nanoTime();
      s.execute("INSERT INTO bench_orders SELECT * FROM read_csv('" + file.toString().replace("'", "''")
          + "', header = true, all_varchar = false, columns = {'order_id': 'VARCHAR', 'line_id': 'VARCHAR', 'buyer': 'VARCHAR',"
          + " 'status': 'VARCHAR', 'paid': 'DECIMAL(12,2)', 'shipping': 'DECIMAL(12,2)', 'discount': 'DECIMAL(12,2)',"
          + " 'title': 'VARCHAR', 'sku': 'VARCHAR', 'category': 'VARCHAR', 'quantity': 'INTEGER', 'price': 'DECIMAL(12,2)',"
          + " 'created_at': 'TIMESTAMP', 'paid_at': 'TIMESTAMP', 'shipped_at': 'TIMESTAMP', 'completed_at': 'TIMESTAMP'})");
      double seconds = (System.nanoTime() - start) / 1e9;
      return report(out, "duckdb read_csv+insert", orders, seconds);
    }
  }

  /**
   * The least an import could write on the embedded store: one H2 row per order (its unique key and a
   * buyer index, the file's rows as the payload), committed every 1,000 orders with Pond's durability
   * ({@code WRITE_DELAY=0}). Pond writes about fifteen rows per order across its modules; this shows what
   * one costs.
   */
  private void h2Floor(Path file, Path db, PrintWriter out) throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection("jdbc:h2:" + db.toAbsolutePath() + ";WRITE_DELAY=0", "sa", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE floor_order (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, channel VARCHAR(16) NOT NULL,"
          + " platform_order_id VARCHAR(64) NOT NULL, buyer VARCHAR(128), status VARCHAR(16), paid_fen BIGINT,"
          + " created_at TIMESTAMP WITH TIME ZONE, payload VARCHAR, UNIQUE (channel, platform_order_id))");
      s.execute("CREATE INDEX floor_order_buyer ON floor_order (buyer)");
      c.setAutoCommit(false);
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      int written = 0;
      try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
          java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO floor_order (channel, platform_order_id, buyer,"
              + " status, paid_fen, created_at, payload) VALUES ('taobao', ?, ?, ?, ?, ?, ?)")) {
        r.readLine();
        String[] order = null;
        StringBuilder payload = new StringBuilder();
        for (String line = r.readLine(); ; line = r.readLine()) {
          String[] cells = line == null ? null : line.split(",", -1);
          if (order != null && (cells == null || !cells[0].equals(order[0]))) {
            insert.setString(1, order[0].replace("=", "").replace("\"", ""));
            insert.setString(2, order[2]);
            insert.setString(3, order[3]);
            insert.setLong(4, new java.math.BigDecimal(order[4]).movePointRight(2).longValueExact());
            insert.setObject(5, LocalDateTime.parse(order[12], TIME).atZone(java.time.ZoneId.of("Asia/Shanghai")).toOffsetDateTime());
            insert.setString(6, payload.toString());
            insert.addBatch();
            payload.setLength(0);
            if (++written % 1000 == 0) {
              insert.executeBatch();
              c.commit();
            }
          }
          if (cells == null) {
            break;
          }
          order = cells;
          payload.append(line).append('\n');
        }
        insert.executeBatch();
        c.commit();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = (processCpuNanos() - cpuStart) / 1e9;
      out.printf(Locale.ROOT, "h2 floor (one row per order: unique key, buyer index, payload; commits of 1,000): %d orders in %.2fs"
          + " = %.0f orders/s; %.2f CPU-s = %.0f µs per order%n", written, seconds, written / seconds, cpu, cpu * 1e6 / written);
    }
  }

  private double postgresCopy(Path file, String url, String schema, PrintWriter out) throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection(url, env("POND_DB_USER", "postgres"), env("POND_DB_PASSWORD", ""));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + schema + ".bench_orders " + PEER_TABLE.replace("VARCHAR", "TEXT"));
      long start = System.nanoTime();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        new org.postgresql.copy.CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class))
            .copyIn("COPY " + schema + ".bench_orders FROM STDIN WITH (FORMAT csv, HEADER true)", reader);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      s.execute("DROP SCHEMA " + schema + " CASCADE");
      return report(out, "postgresql COPY", orders, seconds);
    }
  }

  private static double report(PrintWriter out, String label, int orders, double seconds) {
    double rate = orders / seconds;
    out.printf(Locale.ROOT, "%s: %d orders in %.2fs = %.0f orders/s%n", label, orders, seconds, rate);
    return rate;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }

  private static String withSchema(String url, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, env("POND_DB_USER", "postgres"), env("POND_DB_PASSWORD", ""));
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
