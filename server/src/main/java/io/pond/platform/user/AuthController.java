package io.pond.platform.user;

import io.pond.platform.security.Caller;
import io.pond.platform.security.CurrentCaller;
import io.pond.platform.user.domain.SessionToken;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "Console sign-in", description = "Sessions for the operations console")
class AuthController {

  private final ConsoleSessions sessions;

  AuthController(ConsoleSessions sessions) {
    this.sessions = sessions;
  }

  record LoginRequest(@NotBlank @Size(max = 64) String username, @NotBlank @Size(max = 128) String password) {}

  /**
   * The caller: a console user or a server key.
   *
   * @param channels the channels the caller may see; absent when every channel
   */
  record Me(String kind, String username, String role, List<String> channels, Instant sessionExpiresAt) {

    static Me of(Caller caller, Instant sessionExpiresAt) {
      return new Me(
          caller.isUser() ? "user" : "key",
          caller.name(),
          caller.role() == null ? null : caller.role().wire(),
          caller.scope().granted().map(Set::stream).map(s -> s.sorted().toList()).orElse(null),
          sessionExpiresAt);
    }
  }

  record LoginResponse(String token, Instant expiresAt, Me user) {}

  @PostMapping("/login")
  @Operation(summary = "Sign in with a user name and password; answers a session token for 'Authorization: Bearer'")
  LoginResponse login(@Valid @RequestBody LoginRequest request) {
    var started = sessions.login(request.username().trim(), request.password());
    var user = started.user();
    return new LoginResponse(
        started.token(),
        started.expiresAt(),
        new Me(
            "user",
            user.username(),
            user.role().wire(),
            user.scope().granted().map(s -> s.stream().sorted().toList()).orElse(null),
            started.expiresAt()));
  }

  @PostMapping("/logout")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "End the session whose token authenticates this request (no effect for keys and Basic)")
  void logout(HttpServletRequest request) {
    bearer(request).filter(SessionToken::looksLikeOne).ifPresent(token -> sessions.end(token, CurrentCaller.get().actor()));
  }

  @GetMapping("/me")
  @Operation(summary = "Who is calling: user name, role and channel data scope")
  Me me(HttpServletRequest request) {
    Instant expiresAt =
        bearer(request)
            .filter(SessionToken::looksLikeOne)
            .map(sessions::check)
            .map(c -> c instanceof ConsoleSessions.Check.Valid v ? v.session().expiresAt() : null)
            .orElse(null);
    return Me.of(CurrentCaller.get(), expiresAt);
  }

  private static java.util.Optional<String> bearer(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(header.substring(7).trim());
  }
}
