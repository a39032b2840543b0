package io.pond.platform.user;

import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.user.domain.SessionToken;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Console sign-in: a user name and password buy an opaque session token that the console sends as
 * {@code Authorization: Bearer pond_cs_…} until it expires ({@code pond.console.session-ttl}, 12 hours
 * by default) or the user signs out. {@link Users} ends a user's sessions when it disables them or resets their password.
 */
@Component
public class ConsoleSessions {

  private static final Logger log = LoggerFactory.getLogger(ConsoleSessions.class);

  private final JdbcClient jdbc;
  private final Users users;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();

  ConsoleSessions(
      JdbcClient jdbc,
      Users users,
      AuditLog audit,
      Clock clock,
      @Value("${pond.console.session-ttl:12h}") Duration ttl) {
    this.jdbc = jdbc;
    this.users = users;
    this.audit = audit;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A session just started, with the token that is handed out this once. */
  public record Started(String token, Instant expiresAt, Users.User user) {}

  /** What a valid token stands for. */
  public record Session(long id, Users.User user, Instant expiresAt) {}

  /** What a presented token turned out to be. */
  public sealed interface Check {
    record Valid(Session session) implements Check {}

    /** Expired, ended, or its user was disabled. */
    record Ended() implements Check {}

    record Unknown() implements Check {}
  }

  @Transactional
  public Started login(String username, String password) {
    Users.User user =
        users
            .authenticate(username, password)
            .orElseThrow(
                () -> {
                  log.warn("Refused console sign-in for '{}'", username);
                  return new PondException(
                      ErrorCode.INVALID_CREDENTIALS, "The user name or password is wrong.", "password");
                });
    purge();
    SessionToken token = SessionToken.generate(random);
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    jdbc.sql("INSERT INTO console_session (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .params(user.id(), token.hash(), Timestamp.from(now), Timestamp.from(expiresAt))
        .update();
    audit.record("user:" + user.username(), "session.started", "user:" + user.username(), "console sign-in");
    return new Started(token.value(), expiresAt, user);
  }

  public Check check(String token) {
    Instant now = clock.instant();
    return jdbc.sql("SELECT id, user_id, expires_at, ended_at FROM console_session WHERE token_hash = ?")
        .param(new SessionToken(token).hash())
        .query(
            (rs, n) -> {
              Instant expiresAt = rs.getTimestamp("expires_at").toInstant();
              if (rs.getTimestamp("ended_at") != null || !now.isBefore(expiresAt)) {
                return (Check) new Check.Ended();
              }
              long id = rs.getLong("id");
              return users
                  .find(rs.getLong("user_id"))
                  .filter(u -> !u.disabled())
                  .<Check>map(u -> new Check.Valid(new Session(id, u, expiresAt)))
                  .orElseGet(Check.Ended::new);
            })
        .optional()
        .orElseGet(Check.Unknown::new);
  }

  /** Ends the session of this token (sign-out); an unknown or ended token changes nothing. */
  @Transactional
  public boolean end(String token, String actor) {
    int ended =
        jdbc.sql("UPDATE console_session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL")
            .params(Timestamp.from(clock.instant()), new SessionToken(token).hash())
            .update();
    if (ended > 0) {
      audit.record(actor, "session.ended", actor, "console sign-out");
    }
    return ended > 0;
  }

  /** Deletes sessions that ended or expired more than a day ago, so the table stays small. */
  @Transactional
  public int purge() {
    Timestamp before = Timestamp.from(clock.instant().minus(Duration.ofDays(1)));
    return jdbc.sql("DELETE FROM console_session WHERE expires_at < ? OR ended_at < ?")
        .params(before, before)
        .update();
  }
}
