package io.pond.identity.cli;

import io.pond.identity.graph.domain.IdentityGraph;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** The graph half of {@code pond bench identity}: one generated edge list, two engines. */
final class GraphBenchmark {

  private GraphBenchmark() {}

  static final int LOGIN = 0;
  static final int PHONE = 1;
  static final int ANONYMOUS = 2;
  static final int COOKIE = 3;
  static final int DEVICE = 4;
  static final long DAY = 86_400;

  /** Edges between identifier nodes; {@code junk[n]} marks values the junk rules refuse. */
  record Edges(int[] src, int[] dst, int edgeCount, byte[] type, boolean[] junk, int nodeCount, int junkCount, int hubCount) {}

  record PondRun(double seconds, double cpuSeconds, int persons, long conflicts, long refusals, int plainComponents,
      double bytesPerIdentifier) {}

  record DuckRun(double seconds, long components, int iterations) {}

  /**
   * Persons of 1–5 identifiers (30/30/20/12/8%): a login id or an anonymous id first, then phones,
   * anonymous ids, cookies and devices; each person's messages link its first identifier to the others
   * and repeat; 2% of messages come from one of the shared devices (family tablets, shop kiosks), 1%
   * carry a junk value.
   */
  static Edges generate(long edgeTarget, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int capacity = (int) edgeTarget;
    int[] src = new int[capacity];
    int[] dst = new int[capacity];
    byte[] type = new byte[capacity + 16];
    boolean[] junk = new boolean[capacity + 16];
    int nodes = 0;
    int junkNodes = 5;
    for (int i = 0; i < junkNodes; i++) {
      type[nodes] = ANONYMOUS;
      junk[nodes++] = true;
    }
    int hubs = (int) Math.max(10, edgeTarget / 20_000);
    int firstHub = nodes;
    for (int i = 0; i < hubs; i++) {
      type[nodes++] = DEVICE;
    }
    int e = 0;
    int[] person = new int[5];
    while (e < capacity) {
      double k0 = r.nextDouble();
      int k = k0 < 0.30 ? 1 : k0 < 0.60 ? 2 : k0 < 0.80 ? 3 : k0 < 0.92 ? 4 : 5;
      if (nodes + k >= type.length) {
        type = Arrays.copyOf(type, type.length * 2);
        junk = Arrays.copyOf(junk, junk.length * 2);
      }
      for (int i = 0; i < k; i++) {
        int t;
        if (i == 0) {
          t = r.nextBoolean() ? LOGIN : ANONYMOUS;
        } else {
          double x = r.nextDouble();
          t = x < 0.10 ? PHONE : x < 0.50 ? ANONYMOUS : x < 0.80 ? COOKIE : DEVICE;
        }
        type[nodes] = (byte) t;
        person[i] = nodes++;
      }
      int messages = k + r.nextInt(3);
      for (int m = 0; m < messages && e < capacity; m++) {
        src[e] = person[0];
        dst[e] = k == 1 ? person[0] : person[1 + (m % (k - 1))];
        double x = r.nextDouble();
        if (x < 0.02) {
          dst[e] = firstHub + r.nextInt(hubs);
        } else if (x < 0.03) {
          dst[e] = r.nextInt(junkNodes);
        }
        e++;
      }
    }
    return new Edges(src, dst, e, type, junk, nodes, junkNodes, hubs);
  }

  static PondRun runPond(Edges g) {
    System.gc();
    long before = used();
    IdentityGraph graph = new IdentityGraph(100, g.nodeCount());
    graph.rule(new IdentityGraph.TypeRule("login_id", true, 90, 1, 0));
    graph.rule(new IdentityGraph.TypeRule("phone", true, 85, 3, 0));
    graph.rule(new IdentityGraph.TypeRule("anonymous_id", false, 10, 20, 30 * DAY));
    graph.rule(new IdentityGraph.TypeRule("cookie_id", false, 20, 20, 30 * DAY));
    graph.rule(new IdentityGraph.TypeRule("device_id", false, 30, 10, 30 * DAY));
    long[] counts = new long[2];
    IdentityGraph.Changes conflicts = new IdentityGraph.Changes() {
      @Override
      public void nodeChanged(int node) {}

      @Override
      public void personsMerged(int survivor, int merged, int[] movedNodes) {}

      @Override
      public void conflictFound(int a, int b, String type, String scope, String reason) {
        counts[0]++;
      }
    };
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStarted = threads.getCurrentThreadCpuTime();
    long started = System.nanoTime();
    for (int n = 0; n < g.nodeCount(); n++) {
      graph.addNode(g.type()[n], 0);
    }
    long span = 90 * DAY;
    int[] pair = new int[2];
    int[] single = new int[1];
    for (int i = 0; i < g.edgeCount(); i++) {
      int s = g.src()[i];
      int d = g.dst()[i];
      if (g.junk()[s] || g.junk()[d]) {
        continue;
      }
      pair[0] = s;
      pair[1] = d;
      single[0] = s;
      IdentityGraph.Result r = graph.link(s == d ? single : pair, i * span / g.edgeCount(), conflicts);
      counts[1] += r.notes().size();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
    System.gc();
    double perIdentifier = Math.max(0, used() - before) / (double) g.nodeCount();
    return new PondRun(seconds, cpuSeconds, graph.personCount(), counts[0], counts[1], plainComponents(g), perIdentifier);
  }

  /** Connected components without any guard, for checking the DuckDB side. */
  static int plainComponents(Edges g) {
    int[] parent = new int[g.nodeCount()];
    boolean[] used = new boolean[g.nodeCount()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < g.edgeCount(); i++) {
      int s = g.src()[i];
      int d = g.dst()[i];
      if (g.junk()[s] || g.junk()[d]) {
        continue;
      }
      used[s] = true;
      used[d] = true;
      int a = find(parent, s);
      int b = find(parent, d);
      if (a != b) {
        parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
    int components = 0;
    for (int i = 0; i < parent.length; i++) {
      if (used[i] && find(parent, i) == i) {
        components++;
      }
    }
    return components;
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  /**
   * The method warehouse CDPs use: every identifier starts with its own label, then takes the smallest
   * label among its neighbours, round after round, until no label changes. Junk values are filtered
   * in SQL first. Loading the edges is not timed (a warehouse has them already).
   */
  static DuckRun runDuckDb(Edges g) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET preserve_insertion_order = false");
      s.execute("CREATE TABLE edges (src INTEGER, dst INTEGER)");
      s.execute("CREATE TABLE junk (node INTEGER)");
      try (DuckDBAppender a = ((DuckDBConnection) c).createAppender("main", "edges")) {
        for (int i = 0; i < g.edgeCount(); i++) {
          a.beginRow().append(g.src()[i]).append(g.dst()[i]).endRow();
        }
      }
      try (DuckDBAppender a = ((DuckDBConnection) c).createAppender("main", "junk")) {
        for (int n = 0; n < g.nodeCount(); n++) {
          if (g.junk()[n]) {
            a.beginRow().append(n).endRow();
          }
        }
      }
      long started = System.nanoTime();
      s.execute("CREATE TABLE e AS SELECT src, dst FROM edges WHERE src NOT IN (SELECT node FROM junk) AND dst NOT IN (SELECT node FROM junk)"
          + " UNION ALL SELECT dst, src FROM edges WHERE src NOT IN (SELECT node FROM junk) AND dst NOT IN (SELECT node FROM junk)");
      s.execute("CREATE TABLE lbl AS SELECT src AS node, MIN(dst) AS l FROM e GROUP BY src");
      s.execute("UPDATE lbl SET l = LEAST(l, node)");
      int iterations = 0;
      while (true) {
        iterations++;
        s.execute("CREATE OR REPLACE TABLE nxt AS SELECT l.node, LEAST(l.l, m.l) AS l FROM lbl l JOIN"
            + " (SELECT e.src AS node, MIN(n.l) AS l FROM e JOIN lbl n ON n.node = e.dst GROUP BY e.src) m ON m.node = l.node");
        long changed;
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM nxt JOIN lbl USING (node) WHERE nxt.l <> lbl.l")) {
          rs.next();
          changed = rs.getLong(1);
        }
        s.execute("DROP TABLE lbl");
        s.execute("ALTER TABLE nxt RENAME TO lbl");
        if (changed == 0 || iterations > 200) {
          break;
        }
      }
      long components;
      try (ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT l) FROM lbl")) {
        rs.next();
        components = rs.getLong(1);
      }
      return new DuckRun((System.nanoTime() - started) / 1e9, components, iterations);
    }
  }

  private static long used() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
