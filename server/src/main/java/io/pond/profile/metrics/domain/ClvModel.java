package io.pond.profile.metrics.domain;

/**
 * The CLV estimate: what a person has spent (net of refunds) plus what they are expected to spend in
 * the next {@code horizonYears}, in fen:
 *
 * <pre>
 *   clv = net spend + net AOV × orders per year × (retention + retention² + … + retention^horizonYears)
 *   orders per year = orders ÷ max(1, years since the first order)
 * </pre>
 *
 * A person whose last order is more than {@code churnDays} ago is taken as lapsed: no future spend.
 * Deliberately simple (a historic-plus-retention model, not BG/NBD): explainable to an operator, cheap
 * to keep current on every order.
 */
public record ClvModel(int horizonYears, double retention, int churnDays) {

  public ClvModel {
    if (horizonYears < 0 || horizonYears > 20) {
      throw new IllegalArgumentException("CLV horizon-years must be between 0 and 20");
    }
    if (!(retention >= 0 && retention <= 1)) {
      throw new IllegalArgumentException("CLV retention must be between 0 and 1");
    }
    if (churnDays < 1) {
      throw new IllegalArgumentException("CLV churn-days must be at least 1");
    }
  }

  public long estimateFen(long orders, long netSpendFen, long daysSinceFirst, long daysSinceLast) {
    if (orders <= 0) {
      return 0;
    }
    if (daysSinceLast > churnDays) {
      return netSpendFen;
    }
    double aov = (double) netSpendFen / orders;
    double perYear = orders / Math.max(1.0, daysSinceFirst / 365.25);
    double factor = 0;
    double r = 1;
    for (int y = 1; y <= horizonYears; y++) {
      r *= retention;
      factor += r;
    }
    return netSpendFen + Math.round(aov * perYear * factor);
  }
}
