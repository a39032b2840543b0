package io.pond.platform.demo;

import io.pond.platform.events.EventBacklog;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Runs {@code pond demo}: builds the {@link DemoWorld} and hands it to every {@link DemoContributor} in
 * order, then waits until what they loaded has been processed downstream (the listeners of module
 * events, the event-log consumers).
 */
@Component
public class DemoLoader {

  /** What one contributor did. */
  public record Step(String name, long existingBefore, double seconds) {}

  private final List<DemoContributor> contributors;
  private final EventBacklog backlog;
  private final Clock clock;

  DemoLoader(List<DemoContributor> contributors, EventBacklog backlog, Clock clock) {
    this.contributors = contributors.stream().sorted(Comparator.comparingInt(DemoContributor::order)).toList();
    this.backlog = backlog;
    this.clock = clock;
  }

  public List<DemoContributor> contributors() {
    return contributors;
  }

  /** What already holds data, as "name: count"; empty on an empty store. */
  public List<String> nonEmpty() {
    List<String> out = new ArrayList<>();
    for (DemoContributor c : contributors) {
      long n = c.existing();
      if (n > 0) {
        out.add(c.name() + ": " + n);
      }
    }
    return out;
  }

  /** The world for these options, ending today in the brand's time zone. */
  public DemoWorld world(int persons, long seed) {
    return new DemoWorld(persons, seed, LocalDate.now(clock), clock.getZone());
  }

  /**
   * Loads the world through every contributor, then waits (up to {@code maxWaitMs}) for the
   * downstream work; {@code progress} gives each contributor its bar.
   */
  public List<Step> load(DemoWorld world, Function<String, DemoProgress> progress, long maxWaitMs) {
    List<Step> steps = new ArrayList<>();
    for (DemoContributor c : contributors) {
      long before = c.existing();
      long start = System.nanoTime();
      c.load(world, progress.apply(c.name()));
      steps.add(new Step(c.name(), before, (System.nanoTime() - start) / 1e9));
    }
    long start = System.nanoTime();
    DemoProgress waiting = null;
    long last = 0;
    while (true) {
      long pending = pending();
      if (waiting == null && pending > 0) {
        waiting = progress.apply("processing");
        waiting.total(pending, " queued");
        last = pending;
      }
      if (waiting != null && pending < last) {
        waiting.advance(last - pending);
        last = pending;
      }
      if (pending == 0 || (System.nanoTime() - start) / 1_000_000 > maxWaitMs) {
        break;
      }
      sleep();
    }
    steps.add(new Step("processing", 0, (System.nanoTime() - start) / 1e9));
    return steps;
  }

  /**
   * Work still queued: module-event publications not yet completed (e.g. order buyers waiting for
   * identity resolution) plus what each contributor reports (e.g. the event log ahead of its consumers).
   */
  public long pending() {
    long total = backlog.open();
    for (DemoContributor c : contributors) {
      total += c.pending();
    }
    return total;
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
