package io.pond.profile.metrics;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Every {@code pond.profile.attribution-retry} (default 5 s) the server attributes orders that arrived
 * before identity knew their buyers ({@link Metrics#attributePending}).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnWebApplication
class PendingAttribution {

  /** How long an order without a known buyer is retried; identity normally catches up in milliseconds. */
  static final Duration WINDOW = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(PendingAttribution.class);

  private final Metrics metrics;

  PendingAttribution(Metrics metrics) {
    this.metrics = metrics;
  }

  @Scheduled(initialDelayString = "${pond.profile.attribution-retry:5s}", fixedDelayString = "${pond.profile.attribution-retry:5s}")
  void run() {
    try {
      metrics.attributePending(WINDOW);
    } catch (RuntimeException e) {
      log.warn("Attributing pending orders failed; retrying at the next interval: {}", e.getMessage());
    }
  }
}
