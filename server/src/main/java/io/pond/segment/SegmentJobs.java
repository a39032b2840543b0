package io.pond.segment;

import io.pond.segment.aipl.AiplSnapshots;
import io.pond.segment.index.SegmentIndex;
import io.pond.segment.tag.Tags;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The segment module's clockwork: refresh rule and model tags, take the day's AIPL snapshot once a
 * day. Runs on a schedule in the server ({@code pond.segment.rule-refresh}) and on demand.
 */
@Component
public class SegmentJobs {

  private static final Logger log = LoggerFactory.getLogger(SegmentJobs.class);

  private final Tags tags;
  private final AiplSnapshots aipl;
  private final SegmentIndex index;

  SegmentJobs(Tags tags, AiplSnapshots aipl, SegmentIndex index) {
    this.tags = tags;
    this.aipl = aipl;
    this.index = index;
  }

  /** Refreshes tags; snapshots AIPL stages when today has no snapshot yet. */
  public void runAll() {
    tags.refreshAll();
    LocalDate today = LocalDate.ofEpochDay(index.today());
    if (!aipl.hasSnapshot(today)) {
      aipl.snapshot();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  @ConditionalOnWebApplication
  @ConditionalOnBooleanProperty(name = "pond.segment.jobs.enabled", matchIfMissing = true)
  static class Schedule {
    private final SegmentJobs jobs;

    Schedule(SegmentJobs jobs) {
      this.jobs = jobs;
    }

    @Scheduled(initialDelayString = "${pond.segment.rule-refresh:PT5M}", fixedDelayString = "${pond.segment.rule-refresh:PT5M}")
    void run() {
      try {
        jobs.runAll();
      } catch (RuntimeException e) {
        log.error("Segment jobs failed; they run again at the next interval", e);
      }
    }
  }
}
