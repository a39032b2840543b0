package io.pond.platform.apikey.domain;

import java.util.Locale;

/** What a key may do: a write key sends events for one source; a server key calls the management API. */
public enum KeyKind {
  WRITE("wk"),
  SERVER("sk");

  private final String tag;

  KeyKind(String tag) {
    this.tag = tag;
  }

  /** The short tag in generated secrets, {@code pond_wk_…} or {@code pond_sk_…}. */
  public String tag() {
    return tag;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static KeyKind fromWire(String value) {
    return KeyKind.valueOf(value.toUpperCase(Locale.ROOT));
  }
}
