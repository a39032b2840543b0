package io.pond.profile.metrics.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the metrics need of one order attributed to a person.
 *
 * @param paid whether it was ever paid: only paid orders count (an order cancelled before payment is
 *     no purchase); a paid order cancelled later counts, with its refunds
 * @param categoryFen what its lines paid per product category (lines without a category are left out)
 */
public record OrderFact(long orderId, String channel, boolean paid, long paidFen, long refundedFen, Instant placedAt,
    Instant paidAt, Map<String, Long> categoryFen) {

  public OrderFact {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(placedAt, "placedAt");
    categoryFen = categoryFen == null ? Map.of() : Map.copyOf(categoryFen);
  }

  /** When the purchase happened: payment time, else the order's creation. */
  public Instant purchasedAt() {
    return paidAt != null ? paidAt : placedAt;
  }
}
