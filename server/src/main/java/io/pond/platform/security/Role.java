package io.pond.platform.security;

import java.util.Locale;

/** Console and server-key roles, from most to least powerful. */
public enum Role {
  /** Everything, including users, keys and settings. */
  ADMIN,
  /** Runs the program: members, points adjustments, coupons, campaigns, segments. */
  OPERATOR,
  /** Reads everything and builds segments and reports; changes no member. */
  ANALYST,
  /** Reads dashboards and lists. */
  VIEWER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The Spring Security authority for this role. */
  public String authority() {
    return "ROLE_" + name();
  }

  public static Role fromWire(String value) {
    return Role.valueOf(value.toUpperCase(Locale.ROOT));
  }
}
