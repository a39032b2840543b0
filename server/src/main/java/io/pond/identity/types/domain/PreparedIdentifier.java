package io.pond.identity.types.domain;

/**
 * An identifier that passed the rules: its type, its scope (empty for global types), its normalised
 * value, and the key it is matched by. For personal data the key holds a keyed hash, never the value.
 *
 * @param key {@code type \u001f scope \u001f match}, where match is the value or {@code h:<hmac>}
 */
public record PreparedIdentifier(IdentifierType type, String scope, String value, String key) {

  public static final char SEPARATOR = '\u001f';

  public boolean pii() {
    return type.pii() != PiiKind.NONE;
  }

  public static String key(String type, String scope, String match) {
    return type + SEPARATOR + scope + SEPARATOR + match;
  }

  /** The three parts of a key: type, scope, match value. */
  public static String[] parts(String key) {
    int a = key.indexOf(SEPARATOR);
    int b = key.indexOf(SEPARATOR, a + 1);
    return new String[] {key.substring(0, a), key.substring(a + 1, b), key.substring(b + 1)};
  }
}
