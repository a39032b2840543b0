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

  /** Full-match, case-insensitive patterns applied to every type. */
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
}
