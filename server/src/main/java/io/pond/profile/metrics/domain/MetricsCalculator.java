package io.pond.profile.metrics.domain;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * A person's metrics from their orders, as of a local date in the brand's time zone. A pure function
 * of its inputs: the live path (on every order event) and the recompute (from stored orders) call
 * the same code, so they agree.
 *
 * <ul>
 *   <li>order count, spend: paid orders and what they paid (gross; refunds are counted apart)
 *   <li>AOV: spend ÷ orders, rounded half up; refund rate: refunded ÷ spend, in per-mille
 *   <li>first/last order: local dates of the first and last purchase, as epoch days
 *   <li>favourite channel: most paid orders (ties: more spend, then name); favourite category: most
 *       paid for across lines (ties: name)
 *   <li>RFM by {@link RfmScoring}, CLV by {@link ClvModel}
 * </ul>
 */
public final class MetricsCalculator {

  private MetricsCalculator() {}

  public static PersonMetrics compute(Collection<OrderFact> orders, LocalDate today, ZoneId zone, RfmScoring rfm, ClvModel clv) {
    int count = 0;
    long spend = 0;
    long refunded = 0;
    LocalDate first = null;
    LocalDate last = null;
    Map<String, long[]> channels = new HashMap<>();
    Map<String, Long> categories = new HashMap<>();
    for (OrderFact o : orders) {
      if (!o.paid()) {
        continue;
      }
      count++;
      spend += o.paidFen();
      refunded += o.refundedFen();
      LocalDate day = o.purchasedAt().atZone(zone).toLocalDate();
      first = first == null || day.isBefore(first) ? day : first;
      last = last == null || day.isAfter(last) ? day : last;
      long[] c = channels.computeIfAbsent(o.channel(), k -> new long[2]);
      c[0]++;
      c[1] += o.paidFen();
      o.categoryFen().forEach((category, fen) -> categories.merge(category, fen, Long::sum));
    }
    if (count == 0) {
      return PersonMetrics.NONE;
    }
    long net = spend - refunded;
    long aov = Math.floorDiv(2 * spend + count, 2L * count);
    int refundRate = spend == 0 ? 0 : (int) Math.min(1000, Math.floorDiv(2000 * refunded + spend, 2 * spend));
    long recency = Math.max(0, ChronoUnit.DAYS.between(last, today));
    long tenure = Math.max(0, ChronoUnit.DAYS.between(first, today));
    String channel = channels.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
            .thenComparingLong(e -> -e.getValue()[1]).thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getKey).findFirst().orElse(null);
    String category = categories.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue()).thenComparing(Map.Entry::getKey))
        .map(Map.Entry::getKey).findFirst().orElse(null);
    return new PersonMetrics(count, spend, refunded, aov, refundRate, (int) first.toEpochDay(), (int) last.toEpochDay(),
        (int) recency, rfm.r(recency), rfm.f(count), rfm.m(net), clv.estimateFen(count, net, tenure, recency), channel, category);
  }
}
