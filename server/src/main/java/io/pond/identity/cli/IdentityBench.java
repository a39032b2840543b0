package io.pond.identity.cli;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.ResolvingIdentity;
import io.pond.identity.graph.GraphRebuild;
import io.pond.identity.graph.IdentityGraphService;
import io.pond.platform.Identifier;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pond bench identity}: (a) the full rebuild's graph engine vs DuckDB SQL min-label propagation
 * on the same generated edges; (b) incremental resolution with persistence on the embedded store.
 */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    description = {
      "OneID: (a) Pond's full rebuild vs DuckDB SQL min-label propagation iterated to a fixed point, on one",
      "generated graph (persons of 1-5 identifiers, shared-device hubs, junk values); (b) incremental",
      "resolution with persistence on a fresh embedded store. The ratio is on the last line."
    })
public final class IdentityBench implements Callable<Integer>, PondCommand {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--edges", description = "Evidence edges in the generated graph (default ${DEFAULT-VALUE})", defaultValue = "1000000")
  long edges;

  @Option(names = "--messages", description = "Messages for the incremental run (default ${DEFAULT-VALUE}; 0 skips it)", defaultValue = "200000")
  int messages;

  @Option(names = "--batch", description = "Messages per transaction in the incremental run (default ${DEFAULT-VALUE})", defaultValue = "1000")
  int batch;

  @Option(names = "--no-peer", description = "Skip the DuckDB side (it takes minutes at 10M edges); no ratio then")
  boolean noPeer;

  @Option(names = "--data-dir", description = "Empty data directory for the incremental run (default: a new one under ./target)")
  String dataDir;

  @Override
  public String group() {
    return "bench";
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (edges < 1000 || edges > 200_000_000) {
      spec.commandLine().getErr().println("--edges must be between 1000 and 200000000");
      return 2;
    }
    out.printf(Locale.ROOT, "%d cores, load average %.1f (figures are wall-clock; a loaded machine slows both sides)%n",
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    out.printf(Locale.ROOT, "Generating %,d edges…%n", edges);
    GraphBenchmark.Edges graph = GraphBenchmark.generate(edges, 42);
    out.printf(Locale.ROOT, "  %,d identifiers (%,d junk, %,d shared devices), %,d edges%n",
        graph.nodeCount(), graph.junkCount(), graph.hubCount(), graph.edgeCount());

    GraphBenchmark.runPond(GraphBenchmark.generate(Math.min(edges, 300_000), 7)); // JIT warm-up, not counted
    GraphBenchmark.PondRun pond = GraphBenchmark.runPond(graph);
    out.printf(Locale.ROOT, "Pond rebuild (guards on):   %8.3f s  %,12.0f edges/s  %,d persons, %,d conflicts kept apart, %,d refusals%n",
        pond.seconds(), graph.edgeCount() / pond.seconds(), pond.persons(), pond.conflicts(), pond.refusals());
    out.printf(Locale.ROOT, "  single thread, %.3f s of CPU; engine memory %.0f bytes per identifier (arrays and member lists, no key strings)%n",
        pond.cpuSeconds(), pond.bytesPerIdentifier());
    GraphBenchmark.DuckRun duck = null;
    if (!noPeer) {
      duck = GraphBenchmark.runDuckDb(graph);
      out.printf(Locale.ROOT, "DuckDB min-label propagation: %8.3f s  %,12.0f edges/s  %,d components after %d iterations%n",
          duck.seconds(), graph.edgeCount() / duck.seconds(), duck.components(), duck.iterations());
      out.printf(Locale.ROOT, "  check: plain union-find finds %,d components (DuckDB %s)%n", pond.plainComponents(),
          pond.plainComponents() == duck.components() ? "agrees" : "DISAGREES");
    }

    if (messages > 0) {
      incremental(out);
    }
    if (duck == null) {
      out.printf(Locale.ROOT, "RATIO identity rebuild: Pond %.3f s; DuckDB skipped (--no-peer)%n", pond.seconds());
    } else {
      out.printf(Locale.ROOT, "RATIO identity rebuild: Pond %.3f s vs DuckDB %.3f s = %.1fx faster%n",
          pond.seconds(), duck.seconds(), duck.seconds() / pond.seconds());
    }
    return 0;
  }

  private void incremental(PrintWriter out) throws Exception {
    Path dir = dataDir != null ? Path.of(dataDir)
        : Files.createDirectories(Path.of("target", "bench-identity-" + System.currentTimeMillis()));
    List<Evidence> stream = messages(messages, 7, "");
    // Steady state, not start-up: the JIT compiles the resolution and checkpoint paths on a separate
    // stream of its own identifiers first (C2 took about a third of the process CPU of a timed run of
    // 200,000 messages that was warmed up on one batch only).
    List<Evidence> warmUp = messages(Math.min(20_000, Math.max(batch, messages / 10)), 11, "w");
    Jobs.withContext(dir.toString(), context -> {
      if (context.getBean(GraphRebuild.class).evidenceCount() > 0) {
        out.println("Skipping the incremental run: the identity store in " + dir + " is not empty");
        return 0;
      }
      ResolvingIdentity resolving = context.getBean(ResolvingIdentity.class);
      IdentityGraphService service = context.getBean(IdentityGraphService.class);
      for (int from = 0; from < warmUp.size(); from += batch) {
        resolving.resolveAll(warmUp.subList(from, Math.min(warmUp.size(), from + batch))); // in the store, not timed
      }
      service.checkpoint();
      System.gc();
      long used0 = used();
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long checkpointer0 = checkpointerCpu(threads);
      long caller0 = threads.getCurrentThreadCpuTime();
      long started = System.nanoTime();
      int done = 0;
      for (int from = 0; from < stream.size(); from += batch) {
        List<Evidence> b = stream.subList(from, Math.min(stream.size(), from + batch));
        resolving.resolveAll(b);
        done += b.size();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long caller1 = threads.getCurrentThreadCpuTime();
      long covered = service.checkpoint(); // the rest of the OLTP checkpoint, timed too
      double withCheckpoint = (System.nanoTime() - started) / 1e9;
      long caller2 = threads.getCurrentThreadCpuTime();
      long checkpointCpu = checkpointerCpu(threads) - checkpointer0 + (caller2 - caller1);
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      System.gc();
      long used1 = used();
      int identifiers = context.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
          .sql("SELECT COUNT(*) FROM identity_identifier").query(Integer.class).single();
      out.printf(Locale.ROOT, "Incremental with persistence (%s, batches of %d, after %,d warm-up messages): %,d messages in %.2f s"
              + " = %,.0f messages/s acknowledged (evidence log forced to disk per batch)%n",
          context.getEnvironment().getProperty("spring.datasource.url", "").startsWith("jdbc:h2") ? "embedded H2" : "PostgreSQL",
          batch, warmUp.size(), done, seconds, done / seconds);
      out.printf(Locale.ROOT, "  including the OLTP checkpoint to the end (last %,d messages): %.2f s = %,.0f messages/s;"
              + " process CPU %.2f s = %,.0f messages per CPU-second%n",
          covered, withCheckpoint, done / withCheckpoint, cpu, done / cpu);
      out.printf(Locale.ROOT, "  CPU per message (less sensitive to other load than the rates): resolution %.1f µs on the caller's thread"
              + " (rules, hashing, graph, log append and fsync), OLTP checkpoint %.1f µs (background thread and the final one)%n",
          (caller1 - caller0) / 1e3 / done, checkpointCpu / 1e3 / done);
      out.printf(Locale.ROOT, "  %,d identifiers in the map; heap %.0f bytes per identifier (index, keys, member lists, idempotency set)%n",
          identifiers, Math.max(0, used1 - used0) / (double) Math.max(1, identifiers));
      return 0;
    });
  }

  /** CPU time of the background checkpoint thread so far (0 before it exists). */
  private static long checkpointerCpu(java.lang.management.ThreadMXBean threads) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("identity-checkpoint")) {
        sum += Math.max(0, threads.getThreadCpuTime(t.threadId()));
      }
    }
    return sum;
  }

  private static long used() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  /**
   * A message stream shaped like a brand's traffic: 70% repeat sightings of known people, 20% first
   * visits (anonymous id + device), 10% logins or phone binds that link a visit to an account; 1% carry
   * a junk value.
   */
  static List<Evidence> messages(int count, long seed, String prefix) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String[]> people = new ArrayList<>();
    List<Evidence> out = new ArrayList<>(count);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      double p = r.nextDouble();
      List<Identifier> ids = new ArrayList<>(3);
      if (people.isEmpty() || p < 0.20) {
        String[] person = {prefix + "a" + i, prefix + "d" + i, null};
        people.add(person);
        ids.add(Identifier.global(Identifier.ANONYMOUS_ID, person[0]));
        ids.add(Identifier.global(Identifier.DEVICE_ID, person[1]));
      } else if (p < 0.30) {
        String[] person = people.get(r.nextInt(people.size()));
        if (person[2] == null) {
          person[2] = prefix + "u" + i;
        }
        ids.add(Identifier.global(Identifier.LOGIN_ID, person[2]));
        ids.add(Identifier.global(Identifier.ANONYMOUS_ID, person[0]));
        if (r.nextInt(4) == 0) {
          ids.add(Identifier.global(Identifier.PHONE, String.format(Locale.ROOT, "139%08d", Math.abs(person[0].hashCode()) % 100_000_000)));
        }
      } else {
        String[] person = people.get(r.nextInt(people.size()));
        ids.add(Identifier.global(Identifier.ANONYMOUS_ID, person[0]));
        if (person[2] != null && r.nextBoolean()) {
          ids.add(Identifier.global(Identifier.LOGIN_ID, person[2]));
        }
      }
      if (r.nextInt(100) == 0) {
        ids.add(Identifier.global(Identifier.DEVICE_ID, "00000000-0000-0000-0000-000000000000"));
      }
      out.add(new Evidence(ids, LinkKind.TOGETHER, "bench", t.plusSeconds(i / 10), "bench-" + prefix + i));
    }
    return out;
  }
}
