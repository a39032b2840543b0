package io.pond.identity.types.domain;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Values that SDKs, channels and forms send when they have no identifier: {@code null}, {@code 0},
 * {@code -1}, {@code anonymous}, {@code undefined}, masked numbers such as {@code 187****8991}, a
 * string of one repeated character, an all-zero device id. Linking on them would merge strangers.
 */
public final class JunkValues {

  /** Full-match, case-insensitive patterns applied to every type (keep {@link #mayBeCommonJunk} in step). */
  public static final List<String> COMMON =
      List.of(
          "\\s*",
          "null|nil|none|undefined|unknown|anonymous|guest|test|default|n/?a|\\(null\\)|\\[object object\\]|false|true|nan",
          "0|-1|-?0+(?:\\.0+)?",
          "(?<same>.)\\k<same>{2,}", // one character repeated: 000, 11111111111, xxxx
          "[0\\-:]+", // 00000000-0000-0000-0000-000000000000, 00:00:00:00:00:00
          ".*\\*{2,}.*"); // masked: 187****8991, a***@x.com

  private final Pattern common;

  public JunkValues() {
    this.common = compile(COMMON);
  }

  private static Pattern compile(List<String> patterns) {
    return Pattern.compile("(?:" + String.join(")|(?:", patterns) + ")", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /** The compiled matcher for one type: the common patterns plus the type's own. */
  public Pattern forType(IdentifierType type) {
    if (type.junkPatterns().isEmpty()) {
      return common;
    }
    List<String> all = new java.util.ArrayList<>(COMMON);
    all.addAll(type.junkPatterns());
    return compile(all);
  }

  public boolean isJunk(Pattern pattern, String value) {
    return value == null || pattern.matcher(value.toLowerCase(Locale.ROOT)).matches();
  }

  /** The compiled common patterns (what {@link #forType} gives a type without patterns of its own). */
  public Pattern common() {
    return common;
  }

  /** The words of {@link #COMMON} ({@code n/?a} spelled both ways). */
  private static final java.util.Set<String> WORDS = java.util.Set.of("null", "nil", "none", "undefined", "unknown",
      "anonymous", "guest", "test", "default", "n/a", "na", "(null)", "[object object]", "false", "true", "nan");

  /**
   * Whether an ASCII value could match {@link #COMMON} at all: blank, one of its words, starting like its
   * numbers ({@code 0 - :}), one character three times at the start, or {@code **} inside. PERF: most
   * real identifiers fail this cheap test and skip the regular expression. Values with other characters
   * always answer true (the expression decides). Keep it in step with {@link #COMMON}
   * ({@code IdentifierRulesTest} checks it against the expression).
   */
  public static boolean mayBeCommonJunk(String value) {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      if (value.charAt(i) >= 0x80) {
        return true;
      }
    }
    if (n == 0) {
      return true;
    }
    char first = lower(value.charAt(0));
    if (first <= ' ' || first == '0' || first == '-' || first == ':') {
      return true;
    }
    if (n >= 3 && lower(value.charAt(1)) == first && lower(value.charAt(2)) == first) {
      return true;
    }
    if (n <= 15 && WORDS.contains(value.toLowerCase(Locale.ROOT))) {
      return true;
    }
    return value.contains("**");
  }

  private static char lower(char ascii) {
    return ascii >= 'A' && ascii <= 'Z' ? (char) (ascii + 32) : ascii;
  }
}
