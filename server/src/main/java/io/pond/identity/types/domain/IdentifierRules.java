package io.pond.identity.types.domain;

import io.pond.platform.Identifier;
import io.pond.platform.PhoneNumbers;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One version of the registry, compiled for use: checks and normalises identifiers before they are
 * used as evidence. A refused identifier comes back with a stable reason code
 * ({@code unknown_type}, {@code junk_value}, {@code scope_required}, {@code invalid_phone},
 * {@code invalid_email}, {@code too_long}, {@code control_characters}).
 */
public final class IdentifierRules {

  public static final int MAX_VALUE_LENGTH = 256;
  public static final int MAX_SCOPE_LENGTH = 128;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  private final Map<String, IdentifierType> types = new LinkedHashMap<>();
  private final Map<String, Pattern> junk = new LinkedHashMap<>();
  private final UnaryOperator<String> keyedHash;
  private final Pattern common;

  /** The outcome of checking one identifier. */
  public sealed interface Checked permits Accepted, Refused {}

  public record Accepted(PreparedIdentifier identifier) implements Checked {}

  public record Refused(Identifier identifier, String reason) implements Checked {}

  /** @param keyedHash HMAC of a normalised personal value (phone, email) */
  public IdentifierRules(Collection<IdentifierType> types, UnaryOperator<String> keyedHash) {
    JunkValues junkValues = new JunkValues();
    for (IdentifierType t : types) {
      this.types.put(t.name(), t);
      this.junk.put(t.name(), junkValues.forType(t));
    }
    this.keyedHash = keyedHash;
    this.common = junkValues.common();
  }

  public Collection<IdentifierType> types() {
    return types.values();
  }

  public IdentifierType type(String name) {
    return types.get(name);
  }

  public Checked check(Identifier identifier) {
    IdentifierType type = types.get(identifier.type());
    if (type == null) {
      return new Refused(identifier, "unknown_type");
    }
    String raw = identifier.value().strip();
    if (raw.length() > MAX_VALUE_LENGTH) {
      return new Refused(identifier, "too_long");
    }
    if (hasControl(raw) || hasControl(identifier.scope())) {
      return new Refused(identifier, "control_characters");
    }
    Pattern junkPattern = junk.get(type.name());
    if (isJunk(junkPattern, raw)) {
      return new Refused(identifier, "junk_value");
    }
    String scope = "";
    if (type.scoped()) {
      scope = identifier.scope().strip();
      if (scope.isEmpty()) {
        return new Refused(identifier, "scope_required");
      }
      if (scope.length() > MAX_SCOPE_LENGTH) {
        return new Refused(identifier, "too_long");
      }
    }
    String value;
    String match;
    switch (type.pii()) {
      case PHONE -> {
        value = PhoneNumbers.toE164(raw);
        if (value == null) {
          return new Refused(identifier, "invalid_phone");
        }
        // the national number must not be junk either (e.g. +86 11111111111)
        if (isJunk(junkPattern, value.substring(value.startsWith("+86") ? 3 : 1))) {
          return new Refused(identifier, "junk_value");
        }
        match = "h:" + keyedHash.apply(value);
      }
      case EMAIL -> {
        value = raw.toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(value).matches()) {
          return new Refused(identifier, "invalid_email");
        }
        match = "h:" + keyedHash.apply(value);
      }
      default -> {
        value = raw;
        match = raw;
      }
    }
    return new Accepted(new PreparedIdentifier(type, scope, value, PreparedIdentifier.key(type.name(), scope, match)));
  }

  /**
   * Re-checks a stored key (from the evidence log) against these rules, for a rebuild: the type must
   * still exist and a stored plain value must not have become junk. Hashed personal values were
   * checked when they arrived (their clear value is not in the log). Returns null when the key is refused.
   */
  public IdentifierType recheck(String key) {
    String[] parts = PreparedIdentifier.parts(key);
    IdentifierType type = types.get(parts[0]);
    if (type == null) {
      return null;
    }
    if (type.pii() == PiiKind.NONE && isJunk(junk.get(type.name()), parts[2])) {
      return null;
    }
    return type;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private boolean isJunk(Pattern pattern, String value) {
    if (pattern == common && !JunkValues.mayBeCommonJunk(value)) {
      return false; // PERF: cannot match; most values end here
    }
    return pattern.matcher(value.toLowerCase(Locale.ROOT)).matches();
  }
}
