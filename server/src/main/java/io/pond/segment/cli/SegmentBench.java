package io.pond.segment.cli;

import io.pond.platform.cli.PondCommand;
import io.pond.segment.expression.domain.Evaluator;
import io.pond.segment.expression.domain.Expression;
import io.pond.segment.index.domain.BitSlicedIndex;
import io.pond.segment.index.domain.DailyCounts;
import io.pond.segment.index.domain.PersonIndex;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pond bench segment}: one generated dataset in a DuckDB file (members with boolean tags and
 * numeric metrics, and behaviour events, made with {@code range()} inside DuckDB), Pond's bitmaps built
 * from the same tables, then the same questions asked of both in the same run.
 */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    description = {
      "Segments: a 5-condition segment count and a behaviour predicate on Pond's bitmaps vs DuckDB SQL over",
      "the same generated data (members x tags x metrics, and events), plus memory per member. Ratios on the",
      "last line."
    })
public final class SegmentBench implements Callable<Integer>, PondCommand {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--members", defaultValue = "10000000", description = "Members (default ${DEFAULT-VALUE})")
  int members;

  @Option(names = "--events", defaultValue = "200000000", description = "Behaviour events (default ${DEFAULT-VALUE})")
  long events;

  @Option(names = "--tags", defaultValue = "50", description = "Tags per member table (default ${DEFAULT-VALUE})")
  int tags;

  @Option(names = "--metrics", defaultValue = "10", description = "Numeric metrics (default ${DEFAULT-VALUE})")
  int metrics;

  @Option(names = "--event-types", defaultValue = "20", description = "Distinct event names (default ${DEFAULT-VALUE})")
  int eventTypes;

  @Option(names = "--days", defaultValue = "90", description = "Days the events spread over (default ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--repeat", defaultValue = "15", description = "Timed repetitions per query; the median counts (default ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--dir", description = "Directory for the DuckDB file (default: a new temporary directory, deleted after)")
  Path dir;

  @Override
  public String group() {
    return "bench";
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (members < 1000 || tags < 3 || metrics < 2 || eventTypes < 4 || days < 30 || events < 1000 || repeat < 1) {
      spec.commandLine().getErr().println("need --members >= 1000, --tags >= 3, --metrics >= 2, --event-types >= 4, --days >= 30");
      return 2;
    }
    out.printf(Locale.ROOT, "%d cores, load average %.2f (other work on the machine slows both sides alike)%n",
        Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    boolean temporary = dir == null;
    Path folder = temporary ? Files.createTempDirectory("pond-bench-segment") : Files.createDirectories(dir);
    Path file = folder.resolve("segment-bench.duckdb");
    Files.deleteIfExists(file);
    int today = (int) LocalDate.now(ZoneId.of("Asia/Shanghai")).toEpochDay();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      generate(duck, out, today);
      PersonIndex index = new PersonIndex();
      System.gc();
      long heapBefore = used();
      long started = System.nanoTime();
      load(duck, index);
      double loadSeconds = (System.nanoTime() - started) / 1e9;
      System.gc();
      long heap = used() - heapBefore;
      long bitmapBytes = index.sizeInBytes();
      out.printf(Locale.ROOT, "Pond bitmaps built from the DuckDB tables in %.1f s: %,.0f MB heap (%,.0f MB by RoaringBitmap's count)%n",
          loadSeconds, heap / 1048576.0, bitmapBytes / 1048576.0);

      Expression fiveConditions = new Expression.And(List.of(
          new Expression.HasTag("t3"),
          new Expression.HasTag("t" + (tags / 3 + 1)),
          new Expression.Not(new Expression.HasTag("t" + (tags - 1))),
          new Expression.Metric("m2", 20_000L, 60_000L),
          new Expression.Metric("m" + (metrics - 1), 50_000L, null)));
      String fiveSql = "SELECT count(*) FROM members WHERE t3 AND t" + (tags / 3 + 1) + " AND NOT t" + (tags - 1)
          + " AND m2 BETWEEN 20000 AND 60000 AND m" + (metrics - 1) + " >= 50000";
      Evaluator evaluator = new Evaluator(index, today, code -> Optional.empty());
      Timed pondFive = time(() -> evaluator.evaluate(fiveConditions).getLongCardinality());
      Timed duckFive = time(() -> count(duck, fiveSql));
      out.printf(Locale.ROOT, "5-condition count (2 tags, NOT a tag, 2 metric ranges): Pond %.3f ms, DuckDB %.3f ms (median of %d); "
          + "%,d members, %s%n", pondFive.ms, duckFive.ms, repeat, pondFive.result,
          pondFive.result == duckFive.result ? "same count" : "COUNTS DIFFER (DuckDB " + duckFive.result + ")");

      Expression behaviour = new Expression.Did("e3", null, List.of(), 2, 30);
      String behaviourSql = "SELECT count(*) FROM (SELECT person_id FROM events WHERE event = 3 AND day BETWEEN "
          + (today - 29) + " AND " + today + " GROUP BY person_id HAVING count(*) >= 2)";
      Timed pondDid = time(() -> evaluator.evaluate(behaviour).getLongCardinality());
      Timed duckDid = time(() -> count(duck, behaviourSql));
      out.printf(Locale.ROOT, "Behaviour (did e3 at least twice in the last 30 days): Pond %.3f ms, DuckDB %.3f ms (median of %d); "
          + "%,d members, %s%n", pondDid.ms, duckDid.ms, repeat, pondDid.result,
          pondDid.result == duckDid.result ? "same count" : "COUNTS DIFFER (DuckDB " + duckDid.result + ")");

      Expression both = new Expression.And(List.of(fiveConditions, behaviour));
      Timed pondBoth = time(() -> evaluator.evaluate(both).getLongCardinality());
      out.printf(Locale.ROOT, "Both together on bitmaps: %.3f ms, %,d members%n", pondBoth.ms, pondBoth.result);
      out.printf(Locale.ROOT, "Memory per member: %.0f bytes of heap (%.0f by RoaringBitmap's count) for %d tags, %d metrics, "
          + "%,d events%n", heap / (double) members, bitmapBytes / (double) members, tags, metrics, events);
      out.printf(Locale.ROOT, "RATIO segment (%,d members, %,d events, load %.2f): 5-condition count Pond %.3f ms vs DuckDB %.3f ms = "
          + "%.1fx; behaviour Pond %.3f ms vs DuckDB %.3f ms = %.1fx; %.0f bytes/member%n",
          members, events, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), pondFive.ms, duckFive.ms,
          duckFive.ms / pondFive.ms, pondDid.ms, duckDid.ms, duckDid.ms / pondDid.ms, heap / (double) members);
      return pondFive.result == duckFive.result && pondDid.result == duckDid.result ? 0 : 1;
    } finally {
      if (temporary) {
        Files.deleteIfExists(file);
        Files.deleteIfExists(folder.resolve("segment-bench.duckdb.wal"));
        Files.deleteIfExists(folder);
      }
    }
  }

  private void generate(Connection duck, PrintWriter out, int today) throws Exception {
    long started = System.nanoTime();
    try (Statement s = duck.createStatement()) {
      StringBuilder columns = new StringBuilder("(range + 1)::INTEGER AS person_id");
      for (int t = 0; t < tags; t++) {
        int percent = 5 + (t * 9) % 46; // densities from 5% to 50%
        columns.append(", hash(range, ").append(t).append(") % 100 < ").append(percent).append(" AS t").append(t);
      }
      for (int m = 0; m < metrics; m++) {
        columns.append(", (hash(range, ").append(1000 + m).append(") % 100000)::BIGINT AS m").append(m);
      }
      s.execute("CREATE TABLE members AS SELECT " + columns + " FROM range(" + members + ")");
      double membersSeconds = (System.nanoTime() - started) / 1e9;
      started = System.nanoTime();
      // persons are skewed: a quarter of the members do most things (hash of a hash, folded)
      s.execute("CREATE TABLE events AS SELECT "
          + "(CASE WHEN hash(range, 1) % 4 = 0 THEN hash(range, 2) % " + members + " ELSE hash(range, 2) % " + Math.max(1, members / 4)
          + " END + 1)::INTEGER AS person_id, "
          + "(range % " + eventTypes + ")::SMALLINT AS event, "
          + "(" + today + " - hash(range, 3) % " + days + ")::INTEGER AS day "
          + "FROM range(" + events + ")");
      s.execute("CHECKPOINT");
      out.printf(Locale.ROOT, "DuckDB generated %,d members (%d boolean tags, %d metrics) in %.1f s and %,d events (%d names, %d days) in %.1f s%n",
          members, tags, metrics, membersSeconds, events, eventTypes, days, (System.nanoTime() - started) / 1e9);
    }
  }

  /** Reads the same tables into Pond's index: tags and metrics by column, events by name. */
  private void load(Connection duck, PersonIndex index) throws Exception {
    try (Statement s = duck.createStatement()) {
      for (int t = 0; t < tags; t++) {
        RoaringBitmapWriter<RoaringBitmap> writer = RoaringBitmapWriter.writer().get();
        try (ResultSet rs = s.executeQuery("SELECT person_id FROM members WHERE t" + t + " ORDER BY person_id")) {
          while (rs.next()) {
            writer.add(rs.getInt(1));
          }
        }
        index.replaceTag("t" + t, writer.get());
      }
      for (int m = 0; m < metrics; m++) {
        BitSlicedIndex.Builder builder = new BitSlicedIndex.Builder();
        try (ResultSet rs = s.executeQuery("SELECT person_id, m" + m + " FROM members ORDER BY person_id")) {
          while (rs.next()) {
            builder.add(rs.getInt(1), rs.getLong(2));
          }
        }
        index.putMetric("m" + m, builder.build());
      }
      for (int e = 0; e < eventTypes; e++) {
        DailyCounts counts = new DailyCounts();
        try (ResultSet rs = s.executeQuery("SELECT person_id, day FROM events WHERE event = " + e)) {
          while (rs.next()) {
            counts.add(rs.getInt(1), rs.getInt(2), 1);
          }
        }
        counts.runOptimize();
        index.addPersons(counts.anyDay());
        index.putBehaviour("e" + e, counts);
      }
    }
  }

  private record Timed(double ms, long result) {}

  private Timed time(LongSupplier query) {
    long result = query.getAsLong(); // warm-up (JIT), not timed
    for (int i = 0; i < 10; i++) {
      query.getAsLong();
    }
    double[] ms = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long started = System.nanoTime();
      long r = query.getAsLong();
      ms[i] = (System.nanoTime() - started) / 1e6;
      if (r != result) {
        throw new IllegalStateException("the same query answered " + result + " and then " + r);
      }
    }
    Arrays.sort(ms);
    return new Timed(ms[repeat / 2], result);
  }

  private static long count(Connection duck, String sql) {
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long used() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
