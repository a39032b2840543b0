package io.pond.identity.types.domain;

import java.util.Locale;

/** Personal data that is normalised, stored encrypted, matched by keyed hash and masked on the way out. */
public enum PiiKind {
  NONE,
  PHONE,
  EMAIL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PiiKind fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
