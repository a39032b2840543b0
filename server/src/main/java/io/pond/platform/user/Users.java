package io.pond.platform.user;

import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.DataScope;
import io.pond.platform.security.Role;
import io.pond.platform.user.domain.AccountChangePolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Console users: who may sign in, with which role and which channels' data. Passwords are stored as
 * bcrypt hashes. Every change is written to the audit log in its transaction.
 */
@Component
public class Users {

  private static final String SELECT = "SELECT id, username, password_hash, role, created_at, disabled_at FROM app_user";

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

  public record User(long id, String username, Role role, DataScope scope, Instant createdAt, boolean disabled) {}

  /** A user with the stored hash, for authentication only. */
  public record Credentials(User user, String passwordHash) {}

  /** One page of users, in creation order. */
  public record Page(List<User> items, long total) {}

  @Transactional
  public User create(String username, String password, Role role, String actor) {
    return create(username, password, role, DataScope.allChannels(), actor);
  }

  @Transactional
  public User create(String username, String password, Role role, DataScope scope, String actor) {
    if (findCredentials(username).isPresent()) {
      throw new PondException(ErrorCode.CONFLICT, "user " + username + " already exists", "username");
    }
    jdbc.sql("INSERT INTO app_user (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
        .params(username, passwords.encode(password), role.wire(), Timestamp.from(clock.instant()))
        .update();
    long id = jdbc.sql("SELECT id FROM app_user WHERE username = ?").param(username).query(Long.class).single();
    writeScope(id, scope);
    audit.record(actor, "user.created", "user:" + username, "role " + role.wire() + ", channels " + scope);
    return find(id).orElseThrow();
  }

  public Optional<Credentials> findCredentials(String username) {
    return jdbc.sql(SELECT + " WHERE username = ?")
        .param(username)
        .query((rs, n) -> new Credentials(map(rs, scopeOf(rs.getLong("id"))), rs.getString("password_hash")))
        .optional();
  }

  public Optional<User> find(long id) {
    return jdbc.sql(SELECT + " WHERE id = ?").param(id).query((rs, n) -> map(rs, scopeOf(id))).optional();
  }

  /** Every user, in creation order. */
  public List<User> list() {
    return page(0, Integer.MAX_VALUE).items();
  }

  public Page page(long offset, int limit) {
    List<Row> rows =
        jdbc.sql(SELECT + " ORDER BY id LIMIT ? OFFSET ?")
            .params(limit, offset)
            .query((rs, n) -> new Row(rs.getLong("id"), rs))
            .list();
    Map<Long, List<String>> channels = channelsOf(rows.stream().map(Row::id).toList());
    List<User> users =
        rows.stream()
            .map(r -> r.user(DataScope.ofNullable(channels.get(r.id()))))
            .toList();
    return new Page(users, count());
  }

  public long count() {
    return jdbc.sql("SELECT count(*) FROM app_user").query(Long.class).single();
  }

  /** Sets a user's role and channel scope at once. */
  @Transactional
  public User changeAccess(long id, Role role, DataScope scope, String actor) {
    User user = lockedUser(id);
    AccountChangePolicy.mayChangeRole(account(user), role == Role.ADMIN, enabledAdmins())
        .ifPresent(refusal -> refuse(refusal, "role"));
    jdbc.sql("UPDATE app_user SET role = ? WHERE id = ?").params(role.wire(), id).update();
    jdbc.sql("DELETE FROM app_user_channel WHERE user_id = ?").param(id).update();
    writeScope(id, scope);
    audit.record(
        actor,
        "user.access_changed",
        "user:" + user.username(),
        "role " + user.role().wire() + " -> " + role.wire() + ", channels " + user.scope() + " -> " + scope);
    return find(id).orElseThrow();
  }

  /** Sets a new password and ends the user's open console sessions. */
  @Transactional
  public User resetPassword(long id, String password, String actor) {
    User user = lockedUser(id);
    jdbc.sql("UPDATE app_user SET password_hash = ? WHERE id = ?").params(passwords.encode(password), id).update();
    int ended = endSessions(id);
    audit.record(actor, "user.password_reset", "user:" + user.username(), ended + " session(s) ended");
    return user;
  }

  private int endSessions(long userId) {
    return jdbc.sql("UPDATE console_session SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL")
        .params(Timestamp.from(clock.instant()), userId)
        .update();
  }

  /** Disables a user and ends their console sessions; disabling a disabled user changes nothing. */
  @Transactional
  public User disable(long id, String actingUsername, String actor) {
    User user = lockedUser(id);
    AccountChangePolicy.mayDisable(account(user), actingUsername, enabledAdmins())
        .ifPresent(refusal -> refuse(refusal, "id"));
    if (!user.disabled()) {
      jdbc.sql("UPDATE app_user SET disabled_at = ? WHERE id = ?").params(Timestamp.from(clock.instant()), id).update();
      int ended = endSessions(id);
      audit.record(actor, "user.disabled", "user:" + user.username(), ended + " session(s) ended");
    }
    return find(id).orElseThrow();
  }

  /** Enables a disabled user again. */
  @Transactional
  public User enable(long id, String actor) {
    User user = lockedUser(id);
    if (user.disabled()) {
      jdbc.sql("UPDATE app_user SET disabled_at = NULL WHERE id = ?").param(id).update();
      audit.record(actor, "user.enabled", "user:" + user.username(), null);
    }
    return find(id).orElseThrow();
  }

  /** Checks a password; an unknown user costs as much time as a known one. */
  public Optional<User> authenticate(String username, String password) {
    Optional<Credentials> credentials = findCredentials(username);
    if (credentials.isEmpty()) {
      passwords.matches(password, dummyHash());
      return Optional.empty();
    }
    Credentials c = credentials.get();
    if (!passwords.matches(password, c.passwordHash()) || c.user().disabled()) {
      return Optional.empty();
    }
    return Optional.of(c.user());
  }

  private volatile String dummyHash;

  /** A hash of nothing anyone knows: checking against it makes an unknown user as slow as a known one. */
  private String dummyHash() {
    if (dummyHash == null) {
      dummyHash = passwords.encode(java.util.UUID.randomUUID().toString());
    }
    return dummyHash;
  }

  private User lockedUser(long id) {
    // row lock: two admins changing admins concurrently must not both pass the last-admin check
    jdbc.sql("SELECT id FROM app_user WHERE id = ? FOR UPDATE").param(id).query(Long.class).optional()
        .orElseThrow(() -> PondException.notFound("user", id));
    return find(id).orElseThrow();
  }

  private long enabledAdmins() {
    return jdbc.sql("SELECT count(*) FROM app_user WHERE role = ? AND disabled_at IS NULL")
        .param(Role.ADMIN.wire())
        .query(Long.class)
        .single();
  }

  private static AccountChangePolicy.Account account(User user) {
    return new AccountChangePolicy.Account(user.username(), user.role() == Role.ADMIN, user.disabled());
  }

  private static void refuse(AccountChangePolicy.Refusal refusal, String field) {
    throw new PondException(ErrorCode.CONFLICT, refusal.reason(), field);
  }

  private void writeScope(long userId, DataScope scope) {
    scope.granted().ifPresent(channels -> channels.forEach(channel ->
        jdbc.sql("INSERT INTO app_user_channel (user_id, channel) VALUES (?, ?)").params(userId, channel).update()));
  }

  private DataScope scopeOf(long userId) {
    return DataScope.ofNullable(channelsOf(List.of(userId)).get(userId));
  }

  private Map<Long, List<String>> channelsOf(List<Long> userIds) {
    if (userIds.isEmpty()) {
      return Map.of();
    }
    return jdbc.sql("SELECT user_id, channel FROM app_user_channel WHERE user_id IN (:ids) ORDER BY channel")
        .param("ids", userIds)
        .query((rs, n) -> Map.entry(rs.getLong("user_id"), rs.getString("channel")))
        .list()
        .stream()
        .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
  }

  private static User map(ResultSet rs, DataScope scope) throws SQLException {
    return new User(
        rs.getLong("id"),
        rs.getString("username"),
        Role.fromWire(rs.getString("role")),
        scope,
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("disabled_at") != null);
  }

  /** A row read before its channels are known. */
  private record Row(long id, String username, Role role, Instant createdAt, boolean disabled) {
    Row(long id, ResultSet rs) throws SQLException {
      this(
          id,
          rs.getString("username"),
          Role.fromWire(rs.getString("role")),
          rs.getTimestamp("created_at").toInstant(),
          rs.getTimestamp("disabled_at") != null);
    }

    User user(DataScope scope) {
      return new User(id, username, role, scope, createdAt, disabled);
    }
  }
}
