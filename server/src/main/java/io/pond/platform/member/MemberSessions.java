package io.pond.platform.member;

import io.pond.platform.user.domain.SessionToken;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Member-center sessions: once a module has proven who a member is (a one-time code sent to their
 * phone), it starts a session for that person; the member's browser sends the token as
 * {@code Authorization: Bearer pond_ms_…}, which reaches only {@code /api/v1/member/**}. Only the
 * token's SHA-256 is stored. Sessions last {@code pond.member.session-ttl} (30 days by default).
 */
@Component
public class MemberSessions {

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();

  MemberSessions(JdbcClient jdbc, Clock clock, @Value("${pond.member.session-ttl:30d}") Duration ttl) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A session just started, with the token that is handed out this once. */
  public record Started(String token, int personId, Instant expiresAt) {}

  /** What a valid member token stands for. */
  public record Session(long id, int personId, Instant expiresAt) {}

  @Transactional
  public Started start(int personId, String via) {
    if (personId <= 0) {
      throw new IllegalArgumentException("a person id is positive, not " + personId);
    }
    purge();
    SessionToken token = SessionToken.generateMember(random);
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    jdbc.sql("INSERT INTO member_session (person_id, token_hash, via, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
        .params(personId, token.hash(), via, Timestamp.from(now), Timestamp.from(expiresAt))
        .update();
    return new Started(token.value(), personId, expiresAt);
  }

  /** The live session of a token; empty when unknown, ended or expired. */
  public Optional<Session> check(String token) {
    Instant now = clock.instant();
    return jdbc.sql("SELECT id, person_id, expires_at, ended_at FROM member_session WHERE token_hash = ?")
        .param(new SessionToken(token).hash())
        .query((rs, n) -> rs.getTimestamp("ended_at") != null || !now.isBefore(rs.getTimestamp("expires_at").toInstant())
            ? null
            : new Session(rs.getLong("id"), rs.getInt("person_id"), rs.getTimestamp("expires_at").toInstant()))
        .optional();
  }

  /** Sign-out; an unknown or ended token changes nothing. */
  @Transactional
  public boolean end(String token) {
    return jdbc.sql("UPDATE member_session SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL")
        .params(Timestamp.from(clock.instant()), new SessionToken(token).hash())
        .update() > 0;
  }

  /** Follows OneID: a merged-away person's sessions continue as the survivor. */
  @Transactional
  public int moveTo(int fromPersonId, int toPersonId) {
    return jdbc.sql("UPDATE member_session SET person_id = ? WHERE person_id = ? AND ended_at IS NULL")
        .params(toPersonId, fromPersonId)
        .update();
  }

  @Transactional
  public int purge() {
    Timestamp before = Timestamp.from(clock.instant().minus(Duration.ofDays(1)));
    return jdbc.sql("DELETE FROM member_session WHERE expires_at < ? OR ended_at < ?").params(before, before).update();
  }
}
