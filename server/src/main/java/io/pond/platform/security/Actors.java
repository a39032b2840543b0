package io.pond.platform.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Names the caller of the current request for the audit log. */
public final class Actors {

  private Actors() {}

  /** {@code user:admin}, {@code key:12}, or {@code system} when nobody is authenticated. */
  public static String current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !authentication.isAuthenticated()) {
      return "system";
    }
    if (authentication.getPrincipal() instanceof ServerKeyPrincipal key) {
      return "key:" + key.keyId();
    }
    return "user:" + authentication.getName();
  }

  /** The actor for work started from the command line. */
  public static String cli() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }
}
