package io.pond.loyalty.claim;

import io.pond.loyalty.orders.OrderEarnings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * In the server, with the loyalty jobs ({@code pond.loyalty.jobs.*}): orders whose buyer identity did
 * not know yet are attributed again, held claims are settled or expired.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "pond.loyalty.jobs.enabled", matchIfMissing = true)
class OrderSweeps {

  private static final Logger log = LoggerFactory.getLogger(OrderSweeps.class);

  private final OrderEarnings earnings;
  private final OrderClaims claims;

  OrderSweeps(OrderEarnings earnings, OrderClaims claims) {
    this.earnings = earnings;
    this.claims = claims;
  }

  @Scheduled(initialDelayString = "${pond.loyalty.jobs.interval:PT1M}", fixedDelayString = "${pond.loyalty.jobs.interval:PT1M}")
  void run() {
    try {
      int attributed = earnings.sweep();
      int claimed = claims.sweep();
      if (attributed + claimed > 0) {
        log.info("Loyalty order sweeps: {} orders attributed, {} claims settled or expired", attributed, claimed);
      }
    } catch (RuntimeException e) {
      log.error("Loyalty order sweeps failed; they run again at the next interval", e);
    }
  }
}
