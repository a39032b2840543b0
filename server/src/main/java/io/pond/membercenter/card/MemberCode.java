package io.pond.membercenter.card;

import io.pond.platform.pii.PiiCipher;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The member code (会员码) shown as a QR on the member card: {@code PM1.<person>.<expires>.<mac>}, valid
 * for {@link #TTL} so a screenshot stops working; the MAC is Pond's keyed hash, so only Pond can issue
 * or check one (a store's POS asks Pond to check it).
 */
final class MemberCode {

  static final Duration TTL = Duration.ofMinutes(5);

  private MemberCode() {}

  static String issue(PiiCipher cipher, int personId, Instant now) {
    long expires = now.plus(TTL).getEpochSecond();
    String body = "PM1." + personId + "." + expires;
    return body + "." + mac(cipher, body);
  }

  /** The person of a live, genuine code. */
  static Optional<Integer> check(PiiCipher cipher, String code, Instant now) {
    if (code == null) {
      return Optional.empty();
    }
    String[] parts = code.trim().split("\\.");
    if (parts.length != 4 || !parts[0].equals("PM1")) {
      return Optional.empty();
    }
    String body = parts[0] + "." + parts[1] + "." + parts[2];
    try {
      int person = Integer.parseInt(parts[1]);
      long expires = Long.parseLong(parts[2]);
      if (!mac(cipher, body).equals(parts[3]) || now.getEpochSecond() >= expires) {
        return Optional.empty();
      }
      return Optional.of(person);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String mac(PiiCipher cipher, String body) {
    String hash = cipher.keyedHash("member-code:" + body);
    return hash.substring(0, Math.min(20, hash.length()));
  }
}
