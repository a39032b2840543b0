package io.pond.segment.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.platform.cli.Jobs;
import io.pond.profile.ProfileChanged;
import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code pond segment rebuild} and {@code pond bench segment} as an operator runs them. */
@ExtendWith(Cli.class)
class SegmentCliTest {

  private final String dataDir = IsolatedStores.newDataDir("cli-segment-" + UUID.randomUUID()).toString();

  @Test
  void help_lists_the_segment_and_bench_commands() {
    assertThat(Cli.pond("segment", "--help").out()).contains("rebuild");
    assertThat(Cli.pond("bench", "segment", "--help").out()).contains("--members", "--events", "DuckDB");
  }

  @Test
  void rebuild_builds_the_bitmaps_from_stored_facts_and_stores_model_tags() {
    Jobs.withContext(dataDir, context -> {
      context.getBean(org.springframework.transaction.support.TransactionTemplate.class).executeWithoutResult(s ->
          context.publishEvent(new ProfileChanged(7, Map.of("city", "上海"), Map.of("rfm_r", 5L, "rfm_f", 5L, "rfm_m", 5L),
              Map.of(), Instant.now())));
      JdbcClient jdbc = context.getBean(JdbcClient.class);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (jdbc.sql("SELECT COUNT(*) FROM segment_profile WHERE person_id = 7").query(Integer.class).single() < 1
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      return 0;
    });
    Cli.Run run = Cli.pond("segment", "rebuild", "--data-dir", dataDir);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Rebuilt the segment index: 1 persons").contains("AIPL now:");
    int tagged = Jobs.withContext(dataDir, context -> context.getBean(JdbcClient.class)
        .sql("SELECT COUNT(*) FROM segment_tag_member WHERE tag_code = 'rfm:important_value' AND person_id = 7")
        .query(Integer.class).single());
    assertThat(tagged).isEqualTo(1);
  }

  @Test
  void the_benchmark_runs_small_and_prints_the_ratios_on_the_last_line() {
    Cli.Run run = Cli.pond("bench", "segment", "--members", "2000", "--events", "20000", "--repeat", "3");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    String[] lines = run.out().strip().split("\n");
    assertThat(lines[lines.length - 1]).startsWith("RATIO segment").contains("5-condition count", "behaviour", "bytes/member");
    assertThat(run.out()).contains("same count").doesNotContain("DIFFER");
  }
}
