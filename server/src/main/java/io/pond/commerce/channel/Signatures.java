package io.pond.commerce.channel;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The signature schemes channels use, compared in constant time. */
final class Signatures {

  private Signatures() {}

  static String md5Hex(String text) {
    return digest("MD5", text);
  }

  static String sha1Hex(String text) {
    return digest("SHA-1", text);
  }

  static String hmacSha256Hex(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String digest(String algorithm, String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Refuses the push unless {@code presented} equals {@code expected} (hex, case-insensitive). */
  static void require(String presented, String expected, String what) {
    if (presented == null || presented.isBlank()) {
      throw new PondException(ErrorCode.INVALID_CREDENTIALS, "the push has no " + what, what);
    }
    byte[] a = presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    byte[] b = expected.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(a, b)) {
      throw new PondException(ErrorCode.INVALID_CREDENTIALS, "the push's " + what + " does not match the shop's secret", what);
    }
  }

  /** The relay scheme for channels whose own push cannot reach Pond directly: {@code X-Pond-Signature: sha256=<hex>}. */
  static void requireHmac(HookRequest request, String secret) {
    String presented = request.header("X-Pond-Signature");
    if (presented != null && presented.startsWith("sha256=")) {
      presented = presented.substring("sha256=".length());
    }
    require(presented, hmacSha256Hex(secret, request.body()), "X-Pond-Signature");
  }
}
