package io.pond.offer.coupon.domain;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Coupon codes that cannot be guessed, yet are written in order: 20 characters of Crockford's base32
 * (no I, L, O, U). The first 8 encode the milliseconds since 2025-01-01 (40 bits, never going
 * backwards within a process); the last 12 are 60 bits from a cryptographic random source. Knowing a
 * code tells the time of its issue and nothing else: guessing a valid code takes about 10^18 / k
 * tries, where k is the number of codes issued in its millisecond.
 *
 * <p>PERF: a random code lands on a random page of the code index, so a group of n coupons dirtied n
 * pages that the store rewrote in full at each commit; time-ordered codes append to the index's last
 * page, like serials. Codes issued before (16 random characters) stay valid.
 */
public final class CouponCodes {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long EPOCH = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
  private static final AtomicLong LAST = new AtomicLong();

  private CouponCodes() {}

  public static String next() {
    long now = System.currentTimeMillis() - EPOCH;
    long tick = LAST.accumulateAndGet(now, Math::max) & ((1L << 40) - 1);
    long random = RANDOM.nextLong() >>> 4; // 60 bits
    char[] out = new char[20];
    for (int i = 7; i >= 0; i--) {
      out[i] = ALPHABET[(int) (tick & 31)];
      tick >>>= 5;
    }
    for (int i = 19; i >= 8; i--) {
      out[i] = ALPHABET[(int) (random & 31)];
      random >>>= 5;
    }
    return new String(out);
  }

  /** Whether {@code code} looks like a generated code, today's or the older 16-character kind (external pool codes need not). */
  public static boolean isGenerated(String code) {
    if (code == null || (code.length() != 20 && code.length() != 16)) {
      return false;
    }
    for (int i = 0; i < code.length(); i++) {
      if (new String(ALPHABET).indexOf(code.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
