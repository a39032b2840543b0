package io.pond.profile.metrics;

import io.pond.profile.person.ProfileEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Recency, RFM and the CLV estimate move with the calendar, not only with orders: the server
 * recomputes RFM cut points (quintile mode) and every person's metrics every
 * {@code pond.profile.job-interval} (default daily). Idempotent; only changed persons publish.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "pond.profile.job-enabled", matchIfMissing = true)
class MetricsJob {

  private static final Logger log = LoggerFactory.getLogger(MetricsJob.class);

  private final Metrics metrics;
  private final ProfileEvents events;

  MetricsJob(Metrics metrics, ProfileEvents events) {
    this.metrics = metrics;
    this.events = events;
  }

  @Scheduled(initialDelayString = "${pond.profile.job-interval:24h}", fixedDelayString = "${pond.profile.job-interval:24h}")
  void run() {
    try {
      long persons = metrics.recomputeMetricsAll(done -> {});
      log.info("Profile metrics recomputed for {} persons", persons);
      events.pruneBatches();
    } catch (RuntimeException e) {
      log.error("Profile metrics job failed; it runs again at the next interval", e);
    }
  }
}
