package io.pond.platform;

/**
 * Phone numbers to E.164 ({@code +8613800138000}): identity keys phones by it, the event log finds an
 * event by each of its spellings. An 11-digit number starting with 1 is a mainland
 * China mobile and gets {@code +86}; {@code 0086…} and {@code 86…} (13 digits) are read as +86;
 * anything else must already carry its country code ({@code +…} or {@code 00…}).
 */
public final class PhoneNumbers {

  private PhoneNumbers() {}

  /** The E.164 form, or null when the input is not a phone number. */
  public static String toE164(String raw) {
    StringBuilder digits = new StringBuilder(raw.length());
    boolean plus = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c == '+' && digits.isEmpty() && !plus) {
        plus = true;
      } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
        return null;
      }
    }
    String d = digits.toString();
    if (!plus && d.startsWith("00")) {
      d = d.substring(2);
      plus = true;
    }
    if (!plus) {
      if (d.length() == 11 && d.charAt(0) == '1') {
        d = "86" + d;
      } else if (d.length() == 13 && d.startsWith("861")) {
        // already has the country code, written without '+'
      } else {
        return null;
      }
    }
    if (d.length() < 8 || d.length() > 15 || d.charAt(0) == '0') {
      return null;
    }
    if (d.startsWith("86") && d.length() == 13 && d.charAt(2) != '1') {
      return null; // +86 with 11 digits is a mobile, which starts with 1
    }
    return "+" + d;
  }

  /**
   * How clients commonly write a number whose E.164 form is given: itself and, for a mainland mobile,
   * the 11 national digits and {@code 86} + those digits (for matching raw values kept elsewhere, such
   * as the event log).
   */
  public static java.util.List<String> spellings(String e164) {
    if (e164.startsWith("+86") && e164.length() == 14) {
      return java.util.List.of(e164, e164.substring(3), e164.substring(1));
    }
    return java.util.List.of(e164, e164.substring(1));
  }

  /**
   * The identifiers with every phone among them as written and in each of the {@link #spellings} of its
   * E.164 form (a phone that is no number stays as written); others as they are.
   */
  public static java.util.List<io.pond.platform.Identifier> withSpellings(
      java.util.Collection<io.pond.platform.Identifier> identifiers) {
    java.util.Set<io.pond.platform.Identifier> out = new java.util.LinkedHashSet<>();
    for (io.pond.platform.Identifier id : identifiers) {
      out.add(id);
      String e164 = io.pond.platform.Identifier.PHONE.equals(id.type()) ? toE164(id.value()) : null;
      if (e164 != null) {
        spellings(e164).forEach(v -> out.add(new io.pond.platform.Identifier(id.type(), id.scope(), v)));
      }
    }
    return java.util.List.copyOf(out);
  }
}
