package io.pond.profile.metrics.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person's computed metrics (units as in {@code io.pond.profile.ProfileChanged}); the optional ones
 * are null for a person without a paid order.
 */
public record PersonMetrics(
    int orderCount,
    long spendFen,
    long refundedFen,
    Long aovFen,
    Integer refundRatePermille,
    Integer firstOrderDay,
    Integer lastOrderDay,
    Integer recencyDays,
    Integer rfmR,
    Integer rfmF,
    Integer rfmM,
    Long clvFen,
    String favouriteChannel,
    String favouriteCategory) {

  public static final PersonMetrics NONE =
      new PersonMetrics(0, 0, 0, null, null, null, null, null, null, null, null, null, null, null);

  /** The metrics by their published names; absent ones map to null. */
  public Map<String, Long> metrics() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("order_count", (long) orderCount);
    out.put("spend_fen", spendFen);
    out.put("refunded_fen", refundedFen);
    out.put("aov_fen", aovFen);
    out.put("refund_rate_permille", refundRatePermille == null ? null : refundRatePermille.longValue());
    out.put("first_order_day", firstOrderDay == null ? null : firstOrderDay.longValue());
    out.put("last_order_day", lastOrderDay == null ? null : lastOrderDay.longValue());
    out.put("rfm_r", rfmR == null ? null : rfmR.longValue());
    out.put("rfm_f", rfmF == null ? null : rfmF.longValue());
    out.put("rfm_m", rfmM == null ? null : rfmM.longValue());
    out.put("clv_fen", clvFen);
    return out;
  }

  /** The favourites, which are names rather than numbers. */
  public Map<String, String> favourites() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("favourite_channel", favouriteChannel);
    out.put("favourite_category", favouriteCategory);
    return out;
  }
}
