package io.pond.profile;

import java.time.Instant;
import java.util.Map;

/**
 * Some of a person's profile changed; each map holds only the keys that changed, with their new
 * values (a {@code null} value means the key was removed). Published in the transaction that stored
 * the change; the segment module indexes it.
 *
 * @param personId OneID person id (31 bits)
 * @param traits trait name → value, e.g. {@code gender → "female"}, {@code city → "上海"}
 * @param metrics computed metric name → value as a long, in fixed units: money in fen
 *     ({@code spend_fen}, {@code aov_fen}, {@code clv_fen}), counts ({@code order_count}), dates as
 *     epoch days in the brand's time zone ({@code first_order_day}, {@code last_order_day}), rates in
 *     per-mille ({@code refund_rate_permille}), scores 1–5 ({@code rfm_r}, {@code rfm_f}, {@code rfm_m})
 * @param consents purpose ({@code marketing}, {@code sms}, {@code wechat}, {@code data_sharing}) → granted
 */
public record ProfileChanged(
    int personId,
    Map<String, String> traits,
    Map<String, Long> metrics,
    Map<String, Boolean> consents,
    Instant at) {

  public ProfileChanged {
    traits = traits == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(traits));
    metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(metrics));
    consents = consents == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(consents));
  }
}
