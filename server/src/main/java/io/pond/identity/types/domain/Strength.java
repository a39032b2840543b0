package io.pond.identity.types.domain;

import java.util.Locale;

/**
 * Strong identifiers name one person for sure (unionid, phone, login id, member number, channel
 * buyer ids); weak ones name a browser or a device that people may share. Persons holding different
 * strong identifiers of one type and scope are never merged automatically ("identified is sticky").
 */
public enum Strength {
  STRONG,
  WEAK;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Strength fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
