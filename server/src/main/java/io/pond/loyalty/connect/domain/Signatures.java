package io.pond.loyalty.connect.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures member-connect speaks: Taobao/Tmall TOP (also its SPI/Qimen calls into Pond), 抖店
 * open API, and Pond's own signed webhook. All compare in constant time.
 */
public final class Signatures {

  private Signatures() {}

  /**
   * TOP: every parameter but {@code sign}, sorted by name, concatenated as name + value, then the body
   * (SPI calls carry one); {@code md5}: MD5(secret + that + secret); {@code hmac-sha256} (and
   * {@code hmac}): HMAC-SHA256 keyed with the secret. Upper-case hex.
   */
  public static String top(Map<String, String> params, String body, String secret, String signMethod) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> p : new TreeMap<>(params).entrySet()) {
      if (!p.getKey().equals("sign") && p.getValue() != null && !p.getValue().isEmpty()) {
        text.append(p.getKey()).append(p.getValue());
      }
    }
    if (body != null) {
      text.append(body);
    }
    String method = signMethod == null ? "md5" : signMethod.toLowerCase(Locale.ROOT);
    String hex =
        switch (method) {
          case "md5" -> md5Hex(secret + text + secret);
          case "hmac-sha256", "hmac" -> hmacSha256Hex(secret, text.toString());
          default -> throw new IllegalArgumentException("unknown sign_method " + signMethod);
        };
    return hex.toUpperCase(Locale.ROOT);
  }

  /**
   * 抖店: secret + "app_key" + key + "method" + method + "param_json" + json + "timestamp" + ts + "v" + v
   * + secret, HMAC-SHA256 keyed with the secret, lower-case hex.
   */
  public static String doudian(String appKey, String method, String paramJson, String timestamp, String version, String secret) {
    String text = secret + "app_key" + appKey + "method" + method + "param_json" + paramJson + "timestamp" + timestamp + "v" + version + secret;
    return hmacSha256Hex(secret, text);
  }

  /** Pond's webhook: header {@code X-Pond-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. */
  public static String webhook(long unixSeconds, String body, String secret) {
    return "t=" + unixSeconds + ",v1=" + hmacSha256Hex(secret, unixSeconds + "." + body);
  }

  public static boolean matches(String presented, String expected) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8), expected.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
  }

  public static String hmacSha256Hex(String secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String md5Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
