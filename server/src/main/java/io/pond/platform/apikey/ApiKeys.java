package io.pond.platform.apikey;

import io.pond.platform.apikey.domain.ApiKey;
import io.pond.platform.apikey.domain.KeyCheck;
import io.pond.platform.apikey.domain.KeyKind;
import io.pond.platform.apikey.domain.KeySecret;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Role;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Creates, lists, revokes and checks API keys. Secrets are returned once, at creation, and never stored. */
@Component
public class ApiKeys {

  private static final String SELECT =
      """
      SELECT k.id, k.kind, k.name, k.role, k.key_prefix, k.created_at, k.created_by, k.revoked_at,
             s.id AS source_id, s.name AS source_name
      FROM api_key k LEFT JOIN source s ON s.id = k.source_id
      """;

  private final JdbcClient jdbc;
  private final AuditLog audit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  ApiKeys(JdbcClient jdbc, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.clock = clock;
  }

  /** What to create: a write key names its source (created when new); a server key has a role. */
  public record NewKey(KeyKind kind, String name, String source, Role role) {}

  /** A key just created, with the secret that is shown this once. */
  public record CreatedKey(ApiKey key, String secret) {}

  @Transactional
  public CreatedKey create(NewKey request, String actor) {
    return insert(request, KeySecret.generate(request.kind(), random), actor);
  }

  /** Stores a key whose secret was chosen outside Pond ({@code POND_WRITE_KEY}). */
  @Transactional
  public CreatedKey createWithSecret(NewKey request, String secret, String actor) {
    return insert(request, new KeySecret(secret), actor);
  }

  private CreatedKey insert(NewKey request, KeySecret secret, String actor) {
    Long sourceId = null;
    Role role = null;
    if (request.kind() == KeyKind.WRITE) {
      if (request.source() == null || request.source().isBlank()) {
        throw PondException.invalid("source", "a write key needs the name of its source");
      }
      sourceId = sourceIdCreatingIfAbsent(request.source().trim(), actor);
    } else {
      if (request.source() != null && !request.source().isBlank()) {
        throw PondException.invalid("source", "a server key does not belong to a source");
      }
      role = request.role() == null ? Role.ADMIN : request.role();
    }
    if (jdbc.sql("SELECT count(*) FROM api_key WHERE key_hash = ?").param(secret.hash()).query(Long.class).single() > 0) {
      throw new PondException(ErrorCode.CONFLICT, "a key with this secret already exists", "secret");
    }
    Instant now = clock.instant();
    jdbc.sql(
            "INSERT INTO api_key (kind, name, source_id, role, key_prefix, key_hash, created_at, created_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            request.kind().wire(),
            request.name(),
            sourceId,
            role == null ? null : role.wire(),
            secret.prefix(),
            secret.hash(),
            Timestamp.from(now),
            actor)
        .update();
    ApiKey key = findByHash(secret.hash()).orElseThrow();
    audit.record(actor, "key.created", "key:" + key.id(), request.kind().wire() + " key '" + request.name() + "'");
    return new CreatedKey(key, secret.value());
  }

  private long sourceIdCreatingIfAbsent(String name, String actor) {
    Optional<Long> existing =
        jdbc.sql("SELECT id FROM source WHERE name = ?").param(name).query(Long.class).optional();
    if (existing.isPresent()) {
      return existing.get();
    }
    jdbc.sql("INSERT INTO source (name, created_at) VALUES (?, ?)")
        .params(name, Timestamp.from(clock.instant()))
        .update();
    long id = jdbc.sql("SELECT id FROM source WHERE name = ?").param(name).query(Long.class).single();
    audit.record(actor, "source.created", "source:" + id, name);
    return id;
  }

  public List<ApiKey> list() {
    return jdbc.sql(SELECT + " ORDER BY k.id").query(ApiKeys::map).list();
  }

  public List<ApiKey.Source> sources() {
    return jdbc.sql("SELECT id, name FROM source ORDER BY id")
        .query((rs, n) -> new ApiKey.Source(rs.getLong("id"), rs.getString("name")))
        .list();
  }

  public Optional<ApiKey> find(long id) {
    return jdbc.sql(SELECT + " WHERE k.id = ?").param(id).query(ApiKeys::map).optional();
  }

  /** Revokes a key; revoking a revoked key changes nothing. */
  @Transactional
  public ApiKey revoke(long id, String actor) {
    ApiKey key = find(id).orElseThrow(() -> PondException.notFound("key", id));
    if (!key.revoked()) {
      jdbc.sql("UPDATE api_key SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL")
          .params(Timestamp.from(clock.instant()), actor, id)
          .update();
      audit.record(actor, "key.revoked", "key:" + id, key.kind().wire() + " key '" + key.name() + "'");
    }
    return find(id).orElseThrow();
  }

  /** Looks a presented secret up by its hash. */
  public KeyCheck check(String secret) {
    return KeyCheck.of(findByHash(new KeySecret(secret).hash()).orElse(null));
  }

  public boolean anySource() {
    return jdbc.sql("SELECT count(*) FROM source").query(Long.class).single() > 0;
  }

  private Optional<ApiKey> findByHash(String hash) {
    return jdbc.sql(SELECT + " WHERE k.key_hash = ?").param(hash).query(ApiKeys::map).optional();
  }

  private static ApiKey map(ResultSet rs, int row) throws SQLException {
    long sourceId = rs.getLong("source_id");
    Optional<ApiKey.Source> source =
        rs.wasNull() ? Optional.empty() : Optional.of(new ApiKey.Source(sourceId, rs.getString("source_name")));
    Timestamp revokedAt = rs.getTimestamp("revoked_at");
    return new ApiKey(
        rs.getLong("id"),
        KeyKind.fromWire(rs.getString("kind")),
        rs.getString("name"),
        source,
        Optional.ofNullable(rs.getString("role")),
        rs.getString("key_prefix"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"),
        Optional.ofNullable(revokedAt).map(Timestamp::toInstant));
  }
}
