package io.pond.platform.events;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Delivers again the module events whose listener failed (a lock timeout, a unique-key race between
 * two listeners, a connection-pool timeout under a bulk load): every listener is written to be
 * redelivered, so a transient failure heals within seconds instead of waiting for the next start.
 * Only publications whose listener failed are resubmitted (older than {@code pond.events.retry-after}):
 * one still queued or running is left alone, so a slow listener is never run twice at once.
 * Publications left in progress by a crash are redelivered at the next start.
 */
@Component
@EnableScheduling
@ConditionalOnProperty(name = "pond.events.retry-enabled", havingValue = "true", matchIfMissing = true)
class EventRetries {

  private static final Logger log = LoggerFactory.getLogger(EventRetries.class);

  private final FailedEventPublications failed;
  private final Duration retryAfter;

  EventRetries(FailedEventPublications failed, @Value("${pond.events.retry-after:30s}") Duration retryAfter) {
    this.failed = failed;
    this.retryAfter = retryAfter;
  }

  @Scheduled(fixedDelayString = "${pond.events.retry-interval:15s}", initialDelayString = "${pond.events.retry-interval:15s}")
  void retry() {
    try {
      failed.resubmit(ResubmissionOptions.defaults().withMinAge(retryAfter));
    } catch (RuntimeException e) {
      log.warn("Could not redeliver failed module events; trying again later: {}", e.toString());
    }
  }
}
