package io.pond.identity.graph;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Role;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** What the current caller may do with identities. */
public final class Callers {

  private Callers() {}

  /** Only admins see phone numbers and e-mail addresses in clear; everyone else sees them masked. */
  public static boolean maySeePii() {
    return has(Set.of(Role.ADMIN));
  }

  /** Changing the graph by hand or the rules is for admins and operators. */
  public static void requireOperator() {
    if (!has(Set.of(Role.ADMIN, Role.OPERATOR))) {
      throw new PondException(ErrorCode.FORBIDDEN, "only admins and operators may change identities or their rules");
    }
  }

  private static boolean has(Set<Role> roles) {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    if (a == null) {
      return false;
    }
    for (GrantedAuthority g : a.getAuthorities()) {
      for (Role r : roles) {
        if (r.authority().equals(g.getAuthority())) {
          return true;
        }
      }
    }
    return false;
  }
}
