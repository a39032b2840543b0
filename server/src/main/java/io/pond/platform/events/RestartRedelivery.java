package io.pond.platform.events;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.stereotype.Component;

/**
 * Redelivers, once the application is ready, the module events that the previous run left
 * incomplete (a crash, a kill during a bulk load): on a background thread, so that a large backlog
 * does not hold up start-up (Spring Modulith's own republication on restart runs before the server
 * answers and commits once per publication; it is switched off in application.yaml). Only
 * publications from before this process started are redelivered; newer ones belong to this run's
 * listeners. The server only: a CLI job ({@code pond keys}, {@code pond loyalty reconcile}…) may run
 * next to a server, whose in-flight publications are not the job's to redeliver.
 */
@Component
@ConditionalOnWebApplication
class RestartRedelivery {

  private static final Logger log = LoggerFactory.getLogger(RestartRedelivery.class);

  private final IncompleteEventPublications incomplete;

  RestartRedelivery(IncompleteEventPublications incomplete) {
    this.incomplete = incomplete;
  }

  @EventListener(ApplicationReadyEvent.class)
  void redeliver() {
    Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    Thread.ofVirtual().name("pond-event-redelivery").start(() -> {
      try {
        incomplete.resubmitIncompletePublications(
            ResubmissionOptions.defaults().withFilter(p -> p.getPublicationDate().isBefore(started)));
      } catch (RuntimeException e) {
        log.warn("Could not redeliver the module events left incomplete by the last run: {}", e.toString());
      }
    });
  }
}
