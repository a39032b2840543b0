package io.pond.membercenter.auth.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** A mainland China mobile number as members type it (spaces, dashes, +86/0086 prefixes), in E.164. */
public record MobileNumber(String e164) {

  private static final Pattern MOBILE = Pattern.compile("1[3-9]\\d{9}");

  public static Optional<MobileNumber> parse(String input) {
    if (input == null) {
      return Optional.empty();
    }
    String digits = input.replaceAll("[\\s\\-()]", "");
    if (digits.startsWith("+86")) {
      digits = digits.substring(3);
    } else if (digits.startsWith("0086")) {
      digits = digits.substring(4);
    } else if (digits.startsWith("86") && digits.length() == 13) {
      digits = digits.substring(2);
    }
    return MOBILE.matcher(digits).matches() ? Optional.of(new MobileNumber("+86" + digits)) : Optional.empty();
  }

  /** {@code 138****5678}, as shown to the member and in logs. */
  public String masked() {
    String local = e164.substring(3);
    return local.substring(0, 3) + "****" + local.substring(7);
  }
}
