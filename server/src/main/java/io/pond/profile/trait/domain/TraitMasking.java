package io.pond.profile.trait.domain;

import io.pond.platform.pii.PiiCipher;

/**
 * What callers who may not see personal data are shown of a personal trait: phones and e-mails as
 * identity masks them ({@link PiiCipher#mask}: {@code 138****8000}, {@code a***@example.com}), a short
 * value (a name) its first character ({@code 张**}), anything longer (an address) its first four
 * characters followed by {@code ***}.
 */
public final class TraitMasking {

  private TraitMasking() {}

  public static String mask(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    String compact = value.replaceAll("[\\s-]", "");
    if (value.indexOf('@') > 0 || compact.matches("\\+?\\d{7,15}")) {
      return PiiCipher.mask(value.indexOf('@') > 0 ? value : compact);
    }
    int length = value.codePointCount(0, value.length());
    if (length <= 4) {
      return value.substring(0, value.offsetByCodePoints(0, 1)) + "*".repeat(Math.max(1, length - 1));
    }
    return value.substring(0, value.offsetByCodePoints(0, 4)) + "***";
  }
}
