package io.pond.segment.cli;

import io.pond.platform.cli.CommandGroup;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import io.pond.segment.aipl.AiplSnapshots;
import io.pond.segment.index.SegmentIndex;
import io.pond.segment.model.domain.AiplStage;
import io.pond.segment.tag.Tags;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.roaringbitmap.RoaringBitmap;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    description = "Segments: rebuild the bitmap index from the stored facts and recompute rule and model tags.",
    subcommands = {SegmentCommand.Rebuild.class})
public final class SegmentCommand extends CommandGroup implements PondCommand {

  @Command(
      name = "rebuild",
      mixinStandardHelpOptions = true,
      description = {
        "Build the person bitmaps from the stored facts (what every server start does), recompute every rule",
        "tag and the model tags (AIPL, lifecycle, RFM) and store their changes with history. Prints the counts,",
        "the time and the memory of the index."
      })
  static final class Rebuild implements Callable<Integer> {
    @CommandLine.ParentCommand SegmentCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Jobs.withContext(parent.dataDir(), context -> {
        SegmentIndex index = context.getBean(SegmentIndex.class);
        SegmentIndex.Report report = index.rebuild();
        out.printf(Locale.ROOT, "Rebuilt the segment index: %,d persons, %,.1f MB of bitmaps in %.3f s%n",
            report.persons(), report.bytes() / 1048576.0, report.took().toNanos() / 1e9);
        long started = System.nanoTime();
        Map<String, Tags.Change> changes = context.getBean(Tags.class).refreshAll();
        int added = changes.values().stream().mapToInt(Tags.Change::added).sum();
        int removed = changes.values().stream().mapToInt(Tags.Change::removed).sum();
        out.printf(Locale.ROOT, "Refreshed %d rule and model tags in %.3f s: %,d assignments added, %,d removed%n",
            changes.size(), (System.nanoTime() - started) / 1e9, added, removed);
        Map<AiplStage, RoaringBitmap> stages = context.getBean(AiplSnapshots.class).now();
        StringBuilder line = new StringBuilder("AIPL now:");
        stages.forEach((stage, members) -> line.append(' ').append(stage.wire()).append('=').append(members.getCardinality()));
        out.println(line);
        return 0;
      });
    }
  }
}
