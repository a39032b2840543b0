package io.pond.loyalty;

import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.redemption.Redemptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The ledger's clockwork: activate points whose return window passed, expire lots and reservations,
 * review tiers, warn of points expiring soon. Runs on a schedule in the server and on demand
 * ({@code POST /api/v1/loyalty/jobs/run}); every step is idempotent, so running twice is harmless.
 */
@Component
public class LoyaltyJobs {

  private static final Logger log = LoggerFactory.getLogger(LoyaltyJobs.class);

  private final PointsLedger ledger;
  private final LedgerQueries queries;
  private final Redemptions redemptions;
  private final io.pond.loyalty.ledger.LedgerEventBatches changeBatches;

  LoyaltyJobs(PointsLedger ledger, LedgerQueries queries, Redemptions redemptions, io.pond.loyalty.ledger.LedgerEventBatches changeBatches) {
    this.changeBatches = changeBatches;
    this.ledger = ledger;
    this.queries = queries;
    this.redemptions = redemptions;
  }

  /** What one run did. */
  public record Run(int activated, int expiredLots, int expiredReservations, int tierReviews, int expiringSoonNotices) {}

  public Run runAll() {
    int activated = ledger.activateDue();
    int expired = ledger.expireDue();
    int reservations = redemptions.expireDue();
    int reviews = ledger.reviewTiersDue();
    int notices = queries.announceExpiringSoon();
    changeBatches.prune();
    return new Run(activated, expired, reservations, reviews, notices);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  @ConditionalOnWebApplication
  @ConditionalOnBooleanProperty(name = "pond.loyalty.jobs.enabled", matchIfMissing = true)
  static class Schedule {
    private final LoyaltyJobs jobs;

    Schedule(LoyaltyJobs jobs) {
      this.jobs = jobs;
    }

    @Scheduled(initialDelayString = "${pond.loyalty.jobs.interval:PT1M}", fixedDelayString = "${pond.loyalty.jobs.interval:PT1M}")
    void run() {
      try {
        Run run = jobs.runAll();
        if (run.activated() + run.expiredLots() + run.expiredReservations() + run.tierReviews() + run.expiringSoonNotices() > 0) {
          log.info("Loyalty jobs: {}", run);
        }
      } catch (RuntimeException e) {
        log.error("Loyalty jobs failed; they run again at the next interval", e);
      }
    }
  }
}
