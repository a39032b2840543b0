package io.pond.ingest.envelope.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks the Sensors Data SDKs apply to property keys and values, applied again on the server
 * so that records from hand-written clients meet the same rules: keys match
 * {@code ^[a-zA-Z_$][a-zA-Z0-9_$]{0,99}$} and are not reserved; values are strings (at most 8,192
 * characters), numbers, booleans, or lists of strings; id values are at most 255 characters.
 */
public final class SensorsPropertyRules {

  private SensorsPropertyRules() {}

  public static final int MAX_ID_LENGTH = 255;
  public static final int MAX_STRING_LENGTH = 8_192;
  private static final Pattern KEY = Pattern.compile("^[a-zA-Z_$][a-zA-Z0-9_$]{0,99}$");
  private static final Set<String> RESERVED =
      Set.of(
          "date", "datetime", "distinct_id", "event", "events", "first_id", "id", "original_id",
          "device_id", "properties", "second_id", "time", "user_id", "users");

  /** The first broken rule among {@code properties}, or empty. */
  public static Optional<Rejection> check(Map<String, Object> properties) {
    for (Map.Entry<String, Object> e : properties.entrySet()) {
      String key = e.getKey();
      String field = "properties." + key;
      if (!KEY.matcher(key).matches()) {
        return Optional.of(
            new Rejection(Rejection.INVALID_PROPERTY, field, "property key '" + key + "' does not match "
                + KEY.pattern()));
      }
      if (RESERVED.contains(key.toLowerCase(java.util.Locale.ROOT))) {
        return Optional.of(
            new Rejection(Rejection.INVALID_PROPERTY, field, "'" + key + "' is a reserved name"));
      }
      Optional<String> bad = badValue(e.getValue());
      if (bad.isPresent()) {
        return Optional.of(new Rejection(Rejection.INVALID_PROPERTY, field, bad.get()));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> badValue(Object value) {
    return switch (value) {
      case null -> Optional.empty();
      case String s when s.length() > MAX_STRING_LENGTH ->
          Optional.of("string values are at most " + MAX_STRING_LENGTH + " characters");
      case String s -> Optional.empty();
      case Number n -> Optional.empty();
      case Boolean b -> Optional.empty();
      case Collection<?> list ->
          list.stream().allMatch(v -> v instanceof String)
              ? Optional.empty()
              : Optional.of("a list property may only hold strings");
      default -> Optional.of("values must be strings, numbers, booleans or lists of strings");
    };
  }

  /** An id ({@code distinct_id}, identity value) that is blank or too long, or empty. */
  public static Optional<Rejection> checkId(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(new Rejection(Rejection.MISSING_IDENTIFIER, field, field + " is required"));
    }
    if (value.length() > MAX_ID_LENGTH) {
      return Optional.of(
          Rejection.invalid(field, field + " is longer than " + MAX_ID_LENGTH + " characters"));
    }
    return Optional.empty();
  }
}
