package io.pond.offer;

import io.pond.offer.checkout.Checkout;
import io.pond.offer.issuance.EventIssuance;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The offers' clockwork: release checkout locks past their timeout and issue today's birthday
 * coupons. Runs on a schedule in the server and on demand ({@code POST /api/v1/offers/jobs/run});
 * both steps are idempotent (birthday coupons are keyed by year and person).
 */
@Component
class OfferJobs {

  private static final Logger log = LoggerFactory.getLogger(OfferJobs.class);

  private final Checkout checkout;
  private final EventIssuance events;

  OfferJobs(Checkout checkout, EventIssuance events) {
    this.checkout = checkout;
    this.events = events;
  }

  record Run(int expiredLocks, int birthdayCoupons) {}

  private volatile java.time.LocalDate birthdaysDone;

  /** Birthday coupons once per local day per process (a rerun would issue nothing anyway: keyed by year and person). */
  Run runAll() {
    int expired = checkout.expireDue();
    java.time.LocalDate today = events.today();
    int birthdays = 0;
    if (!today.equals(birthdaysDone)) {
      birthdays = events.birthdays(today);
      birthdaysDone = today;
    }
    return new Run(expired, birthdays);
  }

  @RestController
  @Tag(name = "Coupon jobs")
  static class Api {
    private final OfferJobs jobs;

    Api(OfferJobs jobs) {
      this.jobs = jobs;
    }

    @PostMapping("/api/v1/offers/jobs/run")
    @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
    @Operation(summary = "Release expired checkout locks and issue today's birthday coupons now")
    Run run() {
      return jobs.runAll();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  @ConditionalOnWebApplication
  @ConditionalOnBooleanProperty(name = "pond.offer.jobs.enabled", matchIfMissing = true)
  static class Schedule {
    private final OfferJobs jobs;

    Schedule(OfferJobs jobs) {
      this.jobs = jobs;
    }

    @Scheduled(initialDelayString = "${pond.offer.jobs.interval:PT1M}", fixedDelayString = "${pond.offer.jobs.interval:PT1M}")
    void run() {
      try {
        Run run = jobs.runAll();
        if (run.expiredLocks() + run.birthdayCoupons() > 0) {
          log.info("Offer jobs: {}", run);
        }
      } catch (RuntimeException e) {
        log.error("Offer jobs failed; they run again at the next interval", e);
      }
    }
  }
}
