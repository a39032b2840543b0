package io.pond.platform.security;

import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.apikey.domain.KeyCheck;
import io.pond.platform.apikey.domain.KeyKind;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.member.MemberSessions;
import io.pond.platform.user.ConsoleSessions;
import io.pond.platform.user.domain.SessionToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <credential>}: a console session token
 * ({@code pond_cs_…}), a member-center session token ({@code pond_ms_…}) or a server key
 * ({@code pond_sk_…}). Other requests pass through untouched.
 */
final class BearerAuthenticationFilter extends OncePerRequestFilter {

  private static final String BEARER = "Bearer ";

  private final ApiKeys keys;
  private final ConsoleSessions sessions;
  private final MemberSessions members;
  private final AuthenticationEntryPoint entryPoint;

  BearerAuthenticationFilter(
      ApiKeys keys, ConsoleSessions sessions, MemberSessions members, AuthenticationEntryPoint entryPoint) {
    this.keys = keys;
    this.sessions = sessions;
    this.members = members;
    this.entryPoint = entryPoint;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      chain.doFilter(request, response);
      return;
    }
    String secret = header.substring(BEARER.length()).trim();
    if (SessionToken.looksLikeOne(secret)) {
      session(secret, request, response, chain);
    } else if (SessionToken.looksLikeMember(secret)) {
      member(secret, request, response, chain);
    } else {
      serverKey(secret, request, response, chain);
    }
  }

  private void session(String token, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    switch (sessions.check(token)) {
      case ConsoleSessions.Check.Valid(var session) -> {
        var user = session.user();
        var principal = new UserPrincipal(user.id(), user.username(), user.role(), user.scope());
        authenticate(principal, user.role());
        chain.doFilter(request, response);
      }
      case ConsoleSessions.Check.Ended e ->
          refuse(request, response, ErrorCode.SESSION_EXPIRED, "This session has ended; sign in again.");
      case ConsoleSessions.Check.Unknown u ->
          refuse(request, response, ErrorCode.INVALID_CREDENTIALS, "This session token is not known.");
    }
  }

  private void member(String token, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    var session = members.check(token);
    if (session.isEmpty()) {
      refuse(request, response, ErrorCode.SESSION_EXPIRED, "This member session has ended; sign in again.");
      return;
    }
    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
        new MemberPrincipal(session.get().personId()), null, List.of(new SimpleGrantedAuthority(MemberPrincipal.AUTHORITY))));
    chain.doFilter(request, response);
  }

  private void serverKey(String secret, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    switch (keys.check(secret)) {
      case KeyCheck.Valid(var key) when key.kind() == KeyKind.SERVER -> {
        Role role = Role.fromWire(key.role().orElseThrow());
        authenticate(new ServerKeyPrincipal(key.id(), key.name(), role), role);
        chain.doFilter(request, response);
      }
      case KeyCheck.Valid v ->
          refuse(request, response, ErrorCode.WRONG_KEY_KIND,
              "This is a write key: it can only send events. The management API needs a server key.");
      case KeyCheck.Revoked r ->
          refuse(request, response, ErrorCode.KEY_REVOKED, "This key was revoked.");
      case KeyCheck.Unknown u ->
          refuse(request, response, ErrorCode.INVALID_CREDENTIALS, "This key is not known.");
    }
  }

  private static void authenticate(Object principal, Role role) {
    var authentication =
        UsernamePasswordAuthenticationToken.authenticated(
            principal, null, List.of(new SimpleGrantedAuthority(role.authority())));
    SecurityContextHolder.getContext().setAuthentication(authentication);
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
      throws IOException, ServletException {
    SecurityContextHolder.clearContext();
    entryPoint.commence(request, response, new PondAuthenticationException(code, detail));
  }
}
