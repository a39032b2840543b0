package io.pond.loyalty.connect.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BackoffAndSignaturesTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(30), 12);

  @Test
  void the_delay_doubles_after_each_failure_up_to_the_cap() {
    assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delayAfter(5)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.delayAfter(11)).isEqualTo(Duration.ofMinutes(30));
    assertThat(backoff.exhausted(11)).isFalse();
    assertThat(backoff.exhausted(12)).isTrue();
  }

  @Test
  void delays_never_shrink_and_never_pass_the_cap() {
    qt().forAll(integers().between(1, 200))
        .check(n -> backoff.delayAfter(n + 1).compareTo(backoff.delayAfter(n)) >= 0 && backoff.delayAfter(n).compareTo(Duration.ofMinutes(30)) <= 0);
  }

  @Test
  void a_top_signature_sorts_parameters_leaves_out_sign_and_appends_the_body() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("timestamp", "2026-03-02 10:00:00");
    params.put("method", "tmall.mei.crm.member.bind.query");
    params.put("app_key", "12345");
    params.put("sign_method", "md5");
    params.put("sign", "ignored");
    String expected = Signatures.md5Hex("s3cret" + "app_key12345methodtmall.mei.crm.member.bind.querysign_methodmd5timestamp2026-03-02 10:00:00{}" + "s3cret")
        .toUpperCase(java.util.Locale.ROOT);
    assertThat(Signatures.top(params, "{}", "s3cret", "md5")).isEqualTo(expected);
    assertThat(Signatures.top(new TreeMap<>(params), "{}", "s3cret", "md5")).isEqualTo(expected);
    assertThat(Signatures.top(params, "{}", "other", "md5")).isNotEqualTo(expected);
    assertThat(Signatures.top(params, "{}", "s3cret", "hmac-sha256")).isEqualTo(
        Signatures.hmacSha256Hex("s3cret", "app_key12345methodtmall.mei.crm.member.bind.querysign_methodmd5timestamp2026-03-02 10:00:00{}")
            .toUpperCase(java.util.Locale.ROOT));
  }

  @Test
  void a_webhook_signature_binds_the_timestamp_and_the_body() {
    String signature = Signatures.webhook(1_700_000_000L, "{\"a\":1}", "whsec-123");
    assertThat(signature).startsWith("t=1700000000,v1=").hasSize("t=1700000000,v1=".length() + 64);
    assertThat(Signatures.webhook(1_700_000_001L, "{\"a\":1}", "whsec-123")).isNotEqualTo(signature);
    assertThat(Signatures.webhook(1_700_000_000L, "{\"a\":2}", "whsec-123")).isNotEqualTo(signature);
    assertThat(Signatures.matches(signature.toUpperCase(java.util.Locale.ROOT), signature)).isTrue();
    assertThat(Signatures.matches(null, signature)).isFalse();
  }
}
