package io.pond.platform.user;

import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Role;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Console users: who may sign in, with which role. Passwords are stored as bcrypt hashes. */
@Component
public class Users {

  private final JdbcClient jdbc;
  private final PasswordEncoder passwords;
  private final AuditLog audit;
  private final Clock clock;

  Users(JdbcClient jdbc, PasswordEncoder passwords, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.audit = audit;
    this.clock = clock;
  }

  public record User(long id, String username, Role role, Instant createdAt, boolean disabled) {}

  /** A user with the stored hash, for authentication only. */
  public record Credentials(User user, String passwordHash) {}

  @Transactional
  public User create(String username, String password, Role role, String actor) {
    if (findCredentials(username).isPresent()) {
      throw new PondException(ErrorCode.CONFLICT, "user " + username + " already exists", "username");
    }
    jdbc.sql("INSERT INTO app_user (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
        .params(username, passwords.encode(password), role.wire(), Timestamp.from(clock.instant()))
        .update();
    audit.record(actor, "user.created", "user:" + username, "role " + role.wire());
    return findCredentials(username).orElseThrow().user();
  }

  public Optional<Credentials> findCredentials(String username) {
    return jdbc.sql(
            "SELECT id, username, password_hash, role, created_at, disabled_at FROM app_user WHERE username = ?")
        .param(username)
        .query(
            (rs, n) ->
                new Credentials(
                    new User(
                        rs.getLong("id"),
                        rs.getString("username"),
                        Role.fromWire(rs.getString("role")),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("disabled_at") != null),
                    rs.getString("password_hash")))
        .optional();
  }

  public List<User> list() {
    return jdbc.sql("SELECT username FROM app_user ORDER BY id")
        .query(String.class)
        .list()
        .stream()
        .map(u -> findCredentials(u).orElseThrow().user())
        .toList();
  }

  public long count() {
    return jdbc.sql("SELECT count(*) FROM app_user").query(Long.class).single();
  }
}
