package io.pond.profile.trait.domain;

/**
 * What callers who may not see personal data are shown of a personal trait: phones and e-mails as
 * identity masks them ({@code 138****8000}, {@code a***@example.com}), a name its first character
 * ({@code 张**}), anything else (an address) its first four characters followed by {@code ***}.
 */
public final class TraitMasking {

  private TraitMasking() {}

  public static String mask(String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    int at = value.indexOf('@');
    if (at > 0) {
      return value.charAt(0) + "***" + value.substring(at);
    }
    String digits = value.replaceAll("[\\s-]", "");
    if (digits.matches("\\+?\\d{7,15}")) {
      String bare = digits.startsWith("+86") ? digits.substring(3) : digits;
      if (bare.length() == 11) {
        return bare.substring(0, 3) + "****" + bare.substring(7);
      }
      return "*".repeat(Math.min(8, bare.length() - 4)) + bare.substring(bare.length() - 4);
    }
    int length = value.codePointCount(0, value.length());
    if (length <= 4) {
      return value.substring(0, value.offsetByCodePoints(0, 1)) + "*".repeat(Math.max(1, length - 1));
    }
    return value.substring(0, value.offsetByCodePoints(0, 4)) + "***";
  }
}
