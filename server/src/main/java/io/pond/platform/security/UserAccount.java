package io.pond.platform.security;

import java.util.Collection;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** A console user as HTTP Basic authentication sees it: credentials plus the principal with its scope. */
final class UserAccount implements UserDetails {

  private final UserPrincipal principal;
  private final String passwordHash;
  private final boolean disabled;

  UserAccount(UserPrincipal principal, String passwordHash, boolean disabled) {
    this.principal = principal;
    this.passwordHash = passwordHash;
    this.disabled = disabled;
  }

  UserPrincipal principal() {
    return principal;
  }

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return List.of(new SimpleGrantedAuthority(principal.role().authority()));
  }

  @Override
  public String getPassword() {
    return passwordHash;
  }

  @Override
  public String getUsername() {
    return principal.username();
  }

  @Override
  public boolean isEnabled() {
    return !disabled;
  }
}
