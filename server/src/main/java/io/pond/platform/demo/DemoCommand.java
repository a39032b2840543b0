package io.pond.platform.demo;

import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pond demo}: generates a realistic brand and loads it through Pond's real paths, so that a
 * newcomer sees a living system. Each module adds its share through a {@link DemoContributor}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate and load a demo brand: persons across Tmall, JD, Douyin, the WeChat mini-program, stores and the web",
      "with overlapping identities, two years of orders with refunds, and behaviour events. Refuses a store that holds data."
    })
public final class DemoCommand implements Callable<Integer>, PondCommand {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--persons", defaultValue = "300000", description = "Persons in the brand (default ${DEFAULT-VALUE})")
  int persons;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed: the same seed gives the same data (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--force", description = "Load even though the store holds data (demo ids may then collide with real ones)")
  boolean force;

  @Option(names = "--no-progress", description = "Do not draw progress bars")
  boolean noProgress;

  @Option(names = "--data-dir", description = "Data directory (overrides POND_DATA_DIR)")
  String dataDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (persons < 1) {
      err.println("--persons must be at least 1");
      return 2;
    }
    return Jobs.withContext(dataDir, context -> {
      DemoLoader loader = context.getBean(DemoLoader.class);
      List<String> nonEmpty = loader.nonEmpty();
      if (!nonEmpty.isEmpty()) {
        if (!force) {
          err.println("The store already holds data (" + String.join(", ", nonEmpty) + "); pond demo loads into an empty store.");
          err.println("Use another --data-dir, or --force to load anyway.");
          return 1;
        }
        err.println("Warning: loading into a store that holds data (" + String.join(", ", nonEmpty) + ").");
      }
      DemoWorld world = loader.world(persons, seed);
      out.printf(Locale.ROOT, "Demo brand: %,d persons, seed %d, %s … %s%n", persons, seed, world.firstDay(), world.today());
      List<ProgressBar> bars = new ArrayList<>();
      long started = System.nanoTime();
      List<DemoLoader.Step> steps;
      try {
        steps = loader.load(world, name -> noProgress ? DemoProgress.SILENT : bar(name, bars), 3_600_000);
      } finally {
        bars.forEach(ProgressBar::close);
      }
      for (DemoLoader.Step s : steps) {
        out.printf(Locale.ROOT, "  %-12s %7.1fs%n", s.name(), s.seconds());
      }
      long pending = loader.pending();
      out.printf(Locale.ROOT, "Loaded in %.1fs%s. Start the server (./pond start) and open the console.%n",
          (System.nanoTime() - started) / 1e9, pending == 0 ? "" : " (" + pending + " items still being processed)");
      return 0;
    });
  }

  private static DemoProgress bar(String name, List<ProgressBar> bars) {
    bars.forEach(ProgressBar::close);
    ProgressBar bar =
        new ProgressBarBuilder().setTaskName(name).setInitialMax(1).setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
    bars.add(bar);
    return new DemoProgress() {
      @Override
      public void total(long total, String unit) {
        bar.maxHint(Math.max(1, total));
        bar.setExtraMessage(unit);
      }

      @Override
      public void advance(long n) {
        bar.stepBy(n);
      }
    };
  }
}
