package io.pond.profile.consent.domain;

import java.util.Locale;
import java.util.Optional;

/** What a person may (or may not) be contacted or have data used for. */
public enum Purpose {
  /** Marketing in general (any channel). */
  MARKETING,
  /** Text messages. */
  SMS,
  /** WeChat subscribe/template messages and WeCom. */
  WECHAT,
  /** Sharing data with partners (e.g. a platform's member-connect). */
  DATA_SHARING;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Purpose> fromWire(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Purpose p : values()) {
      if (p.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
