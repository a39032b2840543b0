package io.pond.offer.coupon.domain;

import java.security.SecureRandom;

/**
 * Coupon codes that cannot be guessed: 16 characters of Crockford's base32 (no I, L, O, U) from a
 * cryptographic random source — 80 bits, so guessing one valid code among a million issued takes
 * about 10^18 tries.
 */
public final class CouponCodes {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private CouponCodes() {}

  public static String next() {
    byte[] bytes = new byte[10];
    RANDOM.nextBytes(bytes);
    char[] out = new char[16];
    long hi = 0;
    for (int i = 0; i < 5; i++) {
      hi = (hi << 8) | (bytes[i] & 0xff);
    }
    long lo = 0;
    for (int i = 5; i < 10; i++) {
      lo = (lo << 8) | (bytes[i] & 0xff);
    }
    for (int i = 7; i >= 0; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
      out[8 + i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new String(out);
  }

  /** Whether {@code code} looks like a generated code (external pool codes need not). */
  public static boolean isGenerated(String code) {
    if (code == null || code.length() != 16) {
      return false;
    }
    for (char c : code.toCharArray()) {
      if (new String(ALPHABET).indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}
