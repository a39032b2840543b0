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

  @Option(names = "--reuse", description = "With --dir: keep the DuckDB file and reuse it when it was made with the same sizes")
  boolean reuse;

  @Override
  public String group() {
    return "bench";
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (members < 1000 || tags < 3 || metrics < 2 || eventTypes < 4 || eventTypes > 256 || days < 30 || events < 1000 || repeat < 1) {
      spec.commandLine().getErr().println("need --members >= 1000, --tags >= 3, --metrics >= 2, --event-types 4-256, --days >= 30");
      return 2;
    }
    out.printf(Locale.ROOT, "%d cores, load average %.2f (other work on the machine slows both sides alike)%n",
        Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    boolean temporary = dir == null;
    Path folder = temporary ? Files.createTempDirectory("pond-bench-segment") : Files.createDirectories(dir);
    Path file = folder.resolve("segment-bench.duckdb");
    int today = (int) LocalDate.now(ZoneId.of("Asia/Shanghai")).toEpochDay();
    Integer reused = reuse && !temporary && Files.exists(file) ? generatedOn(file) : null;
    if (reused == null) {
      Files.deleteIfExists(file);
    } else {
      today = reused;
    }
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + file)) {
      try (Statement s = duck.createStatement()) {
        s.execute("SET memory_limit = '4GB'"); // a shared machine; the queries need far less
      }
      if (reused == null) {
        generate(duck, out, today);
      } else {
        out.printf(Locale.ROOT, "Reusing the generated data in %s (made on epoch day %d)%n", file, today);
      }
      PersonIndex index = new PersonIndex();
      System.gc();
      long heapBefore = used();
      long started = System.nanoTime();
      load(duck, index, today);
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
      // the product's path: Segments.count → Evaluator.count (one pass over the containers, no copies).
      // First with the bounds inside the quantile bins (a segment's first counts), then as the service
      // leaves it once the bounds have been asked twice: each bound pinned with a bin of its own.
      Timed pondCold = time(() -> evaluator.count(fiveConditions));
      long pinStarted = System.nanoTime();
      int pinned = index.pinWantedBounds(BitSlicedIndex.PIN_AFTER);
      double pinMs = (System.nanoTime() - pinStarted) / 1e6;
      long pinnedBytes = index.sizeInBytes() - bitmapBytes;
      heap += pinnedBytes;
      bitmapBytes += pinnedBytes;
      Timed pondFive = time(() -> evaluator.count(fiveConditions));
      Timed duckFive = time(() -> count(duck, fiveSql));
      out.printf(Locale.ROOT, "5-condition count (2 tags, NOT a tag, 2 metric ranges), bounds inside bins: Pond %.3f ms "
          + "(median of %d; CPU per count, all threads: %.3f ms); %,d members%n", pondCold.ms, repeat, pondCold.cpuMs, pondCold.result);
      out.printf(Locale.ROOT, "%d bounds in use got bins of their own in %.1f ms (what the service does in the background), %.1f MB%n", pinned, pinMs,
          pinnedBytes / 1048576.0);
      out.printf(Locale.ROOT, "5-condition count, bounds binned: Pond %.3f ms, DuckDB %.3f ms (median of %d; "
          + "CPU per count, all threads: Pond %.3f ms, DuckDB %.3f ms); %,d members, %s%n", pondFive.ms, duckFive.ms, repeat,
          pondFive.cpuMs, duckFive.cpuMs, pondFive.result,
          pondFive.result == duckFive.result && pondCold.result == duckFive.result ? "same count" : "COUNTS DIFFER (DuckDB " + duckFive.result + ")");

      Expression behaviour = new Expression.Did("e3", null, List.of(), 2, 30);
      String behaviourSql = "SELECT count(*) FROM (SELECT person_id FROM events WHERE event = 3 AND day BETWEEN "
          + (today - 29) + " AND " + today + " GROUP BY person_id HAVING count(*) >= 2)";
      Timed pondDid = time(() -> evaluator.count(behaviour));
      Timed duckDid = time(() -> count(duck, behaviourSql));
      out.printf(Locale.ROOT, "Behaviour (did e3 at least twice in the last 30 days): Pond %.3f ms, DuckDB %.3f ms (median of %d; "
          + "CPU per count: Pond %.3f ms, DuckDB %.3f ms); %,d members, %s%n", pondDid.ms, duckDid.ms, repeat, pondDid.cpuMs,
          duckDid.cpuMs, pondDid.result,
          pondDid.result == duckDid.result ? "same count" : "COUNTS DIFFER (DuckDB " + duckDid.result + ")");

      Expression both = new Expression.And(List.of(fiveConditions, behaviour));
      Timed pondBoth = time(() -> evaluator.count(both));
      out.printf(Locale.ROOT, "Both together on bitmaps: %.3f ms, %,d members%n", pondBoth.ms, pondBoth.result);
      out.printf(Locale.ROOT, "Memory per member: %.0f bytes of heap (%.0f by RoaringBitmap's count) for %d tags, %d metrics, "
          + "%,d events%n", heap / (double) members, bitmapBytes / (double) members, tags, metrics, events);
      out.printf(Locale.ROOT, "RATIO segment (%,d members, %,d events, load %.2f): 5-condition count Pond %.3f ms vs DuckDB %.3f ms = "
          + "%.1fx (bounds inside bins %.3f ms = %.1fx); behaviour Pond %.3f ms vs DuckDB %.3f ms = %.1fx; %.0f bytes/member%n",
          members, events, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), pondFive.ms, duckFive.ms,
          duckFive.ms / pondFive.ms, pondCold.ms, duckFive.ms / pondCold.ms, pondDid.ms, duckDid.ms, duckDid.ms / pondDid.ms, heap / (double) members);
      return pondFive.result == duckFive.result && pondCold.result == duckFive.result && pondDid.result == duckDid.result ? 0 : 1;
    } finally {
      if (temporary || !reuse) {
        Files.deleteIfExists(file);
        Files.deleteIfExists(folder.resolve("segment-bench.duckdb.wal"));
        Files.deleteIfExists(folder);
      }
    }
  }

  /** The epoch day the data in {@code file} was generated on, when made with the same sizes; else null. */
  private Integer generatedOn(Path file) {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + file);
         Statement s = duck.createStatement();
         ResultSet rs = s.executeQuery("SELECT members, events, tags, metrics, event_types, days, today FROM bench_params")) {
      if (rs.next() && rs.getInt(1) == members && rs.getLong(2) == events && rs.getInt(3) == tags && rs.getInt(4) == metrics
          && rs.getInt(5) == eventTypes && rs.getInt(6) == days) {
        return rs.getInt(7);
      }
      return null;
    } catch (java.sql.SQLException e) {
      return null;
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
      // an event log in time order (oldest day first), as events arrive; persons are skewed: a quarter
      // of the members do most things (hash of a hash, folded)
      s.execute("CREATE TABLE events AS SELECT "
          + "(CASE WHEN hash(range, 1) % 4 = 0 THEN hash(range, 2) % " + members + " ELSE hash(range, 2) % " + Math.max(1, members / 4)
          + " END + 1)::INTEGER AS person_id, "
          + "(hash(range, 4) % " + eventTypes + ")::SMALLINT AS event, "
          + "(" + (today - days + 1) + " + range * " + days + " // " + events + ")::INTEGER AS day "
          + "FROM range(" + events + ")");
      s.execute("CREATE TABLE bench_params AS SELECT " + members + " AS members, " + events + "::BIGINT AS events, " + tags
          + " AS tags, " + metrics + " AS metrics, " + eventTypes + " AS event_types, " + days + " AS days, " + today + " AS today");
      s.execute("CHECKPOINT");
      out.printf(Locale.ROOT, "DuckDB generated %,d members (%d boolean tags, %d metrics) in %.1f s and %,d events (%d names, %d days) in %.1f s%n",
          members, tags, metrics, membersSeconds, events, eventTypes, days, (System.nanoTime() - started) / 1e9);
    }
  }

  /**
   * Reads the same tables into Pond's index in one scan each: a member row's tags packed into one
   * number, its metrics into bit-sliced indexes built in person order; the event log (in time order) a
   * day at a time into per-name bitsets of the day's counts, which become that day's bitmaps.
   */
  private void load(Connection duck, PersonIndex index, int today) throws Exception {
    try (Statement s = duck.createStatement()) {
      List<RoaringBitmapWriter<RoaringBitmap>> tagWriters = new java.util.ArrayList<>();
      for (int t = 0; t < tags; t++) {
        tagWriters.add(RoaringBitmapWriter.writer().get());
      }
      BitSlicedIndex.Builder[] builders = new BitSlicedIndex.Builder[metrics];
      Arrays.setAll(builders, m -> new BitSlicedIndex.Builder());
      StringBuilder select = new StringBuilder("SELECT person_id");
      for (int word = 0; word * 63 < tags; word++) {
        select.append(", (0");
        for (int t = word * 63; t < Math.min(tags, word * 63 + 63); t++) {
          select.append(" | (t").append(t).append("::BIGINT << ").append(t - word * 63).append(')');
        }
        select.append(')');
      }
      int tagWords = (tags + 62) / 63;
      for (int m = 0; m < metrics; m++) {
        select.append(", m").append(m);
      }
      // a plain scan keeps the table's order (DuckDB preserves insertion order), which is person order
      try (ResultSet rs = s.executeQuery(select + " FROM members")) {
        int previous = 0;
        while (rs.next()) {
          int person = rs.getInt(1);
          if (person <= previous) {
            throw new IllegalStateException("members are not in person order: " + person + " after " + previous);
          }
          previous = person;
          for (int word = 0; word < tagWords; word++) {
            for (long bits = rs.getLong(2 + word); bits != 0; bits &= bits - 1) {
              tagWriters.get(word * 63 + Long.numberOfTrailingZeros(bits)).add(person);
            }
          }
          for (int m = 0; m < metrics; m++) {
            builders[m].add(person, rs.getLong(2 + tagWords + m));
          }
        }
      }
      for (int t = 0; t < tags; t++) {
        index.replaceTag("t" + t, tagWriters.get(t).get());
      }
      for (int m = 0; m < metrics; m++) {
        index.putMetric("m" + m, builders[m].build());
      }
      tagWriters.clear();

      // events: per name, the current day's counts as bitsets (level k: did it more than k times)
      DailyCounts[] counts = new DailyCounts[eventTypes];
      Arrays.setAll(counts, e -> new DailyCounts());
      int words = (members >>> 6) + 2;
      List<List<long[]>> levels = new java.util.ArrayList<>();
      for (int e = 0; e < eventTypes; e++) {
        levels.add(new java.util.ArrayList<>());
      }
      int base = today - days + 1;
      int day = Integer.MIN_VALUE;
      try (ResultSet rs = s.executeQuery("SELECT ((day - " + base + ")::BIGINT << 40) | (event::BIGINT << 32) | person_id FROM events")) {
        while (rs.next()) {
          long packed = rs.getLong(1);
          int d = base + (int) (packed >>> 40);
          if (d != day) {
            flush(counts, levels, day);
            day = d;
          }
          List<long[]> lv = levels.get((int) (packed >>> 32) & 0xFF);
          int person = (int) packed;
          int w = person >>> 6;
          long bit = 1L << person;
          int k = 0;
          while (k < lv.size() && (lv.get(k)[w] & bit) != 0) {
            k++;
          }
          if (k == lv.size()) {
            lv.add(new long[words]);
          }
          lv.get(k)[w] |= bit;
        }
      }
      flush(counts, levels, day);
      for (int e = 0; e < eventTypes; e++) {
        counts[e].runOptimize();
        index.addPersons(counts[e].anyDay());
        index.putBehaviour("e" + e, counts[e]);
      }
    }
  }

  /** Turns the day's bitsets into the day's bitmaps, and clears them for the next day. */
  private static void flush(DailyCounts[] counts, List<List<long[]>> levels, int day) {
    if (day == Integer.MIN_VALUE) {
      return;
    }
    for (int e = 0; e < counts.length; e++) {
      List<RoaringBitmap> bitmaps = new java.util.ArrayList<>();
      for (long[] level : levels.get(e)) {
        RoaringBitmap b = org.roaringbitmap.BitSetUtil.bitmapOf(level);
        if (!b.isEmpty()) {
          bitmaps.add(b);
        }
        Arrays.fill(level, 0);
      }
      counts[e].addDay(day, bitmaps);
    }
  }

  /** Median wall-clock time, and the process's CPU time per run (all threads: the load moves it far less). */
  private record Timed(double ms, long result, double cpuMs) {}

  private Timed time(LongSupplier query) {
    // warm-up, not timed, the same for both sides: at least 10 runs and 2 s (the JIT compiles the loops)
    long result = query.getAsLong();
    long warm = System.nanoTime();
    for (int i = 0; i < 10 || (System.nanoTime() - warm < 2_000_000_000L && i < 500); i++) {
      query.getAsLong();
    }
    double[] ms = new double[repeat];
    long cpu = processCpuNanos();
    for (int i = 0; i < repeat; i++) {
      long started = System.nanoTime();
      long r = query.getAsLong();
      ms[i] = (System.nanoTime() - started) / 1e6;
      if (r != result) {
        throw new IllegalStateException("the same query answered " + result + " and then " + r);
      }
    }
    // the process's CPU time is counted in 10 ms ticks: more runs, for at least 1 s, make it precise
    int runs = repeat;
    for (long since = System.nanoTime() - (long) (Arrays.stream(ms).sum() * 1e6); System.nanoTime() - since < 1_000_000_000L; runs++) {
      query.getAsLong();
    }
    double cpuMs = (processCpuNanos() - cpu) / 1e6 / runs;
    Arrays.sort(ms);
    return new Timed(ms[repeat / 2], result, cpuMs);
  }

  private static long count(Connection duck, String sql) {
    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }

  private static long used() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
