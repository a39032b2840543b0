package io.pond.platform.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The caller of the current request, for any module: its role and, above all, its channel
 * {@link DataScope}, by which modules must filter per-channel data. Outside a request (jobs, event
 * listeners, the CLI) the caller is {@code system}, which sees every channel.
 */
public final class CurrentCaller {

  private CurrentCaller() {}

  public static Caller get() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null || !authentication.isAuthenticated()) {
      return Caller.SYSTEM;
    }
    return switch (authentication.getPrincipal()) {
      case ServerKeyPrincipal key ->
          new Caller("key:" + key.keyId(), key.name(), key.role(), DataScope.allChannels());
      case UserPrincipal user -> new Caller("user:" + user.username(), user.username(), user.role(), user.scope());
      case UserAccount account ->
          new Caller(
              "user:" + account.principal().username(),
              account.principal().username(),
              account.principal().role(),
              account.principal().scope());
      // another authentication mechanism (tests with mock users): trust its role, restrict nothing
      default ->
          new Caller(
              "user:" + authentication.getName(),
              authentication.getName(),
              authentication.getAuthorities().stream()
                  .map(a -> a.getAuthority())
                  .flatMap(a -> java.util.Arrays.stream(Role.values()).filter(r -> r.authority().equals(a)))
                  .findFirst()
                  .orElse(null),
              DataScope.allChannels());
    };
  }

  /** The channels the caller may see; {@link DataScope#allChannels()} when unrestricted. */
  public static DataScope channels() {
    return get().scope();
  }

  /** The caller's role, or {@code null} for {@code system}. */
  public static Role role() {
    return get().role();
  }

  /**
   * Whether the caller sees personal data (phones, e-mails, names, addresses) in clear: admins only;
   * everyone else is shown it masked or not at all (docs/pii.md).
   */
  public static boolean maySeePii() {
    return role() == Role.ADMIN;
  }
}
