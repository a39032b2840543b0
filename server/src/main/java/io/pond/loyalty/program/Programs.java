package io.pond.loyalty.program;

import io.pond.loyalty.program.domain.ProgramConfig;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loyalty programs and their configuration versions. Saving a configuration validates it and keeps
 * it as a new version; nothing is ever overwritten, so every entry can name the rules that made it.
 */
@Component
public class Programs {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Map<String, ProgramConfig> configs = new ConcurrentHashMap<>();

  public Programs(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A program with its current configuration. */
  public record Program(long id, String code, String name, int version, ProgramConfig config) {}

  public record Version(int version, Instant createdAt, String createdBy, ProgramConfig config) {}

  public Program create(String code, String name, ProgramConfig config, String actor) {
    ProgramConfig valid = validated(config);
    if (code == null || !code.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
      throw PondException.invalid("code", "must be 1-64 lower-case letters, digits, '_' or '-'");
    }
    Timestamp now = Timestamp.from(clock.instant());
    long id;
    try {
      var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
      jdbc.sql("INSERT INTO loyalty_program (code, name, current_version, created_at) VALUES (?, ?, 1, ?)")
          .params(code, name == null ? code : name, now)
          .update(keys, "id");
      id = keys.getKeyAs(Long.class);
    } catch (DuplicateKeyException e) {
      throw new PondException(ErrorCode.CONFLICT, "program " + code + " already exists", "code");
    }
    insertVersion(id, 1, valid, actor, now);
    return new Program(id, code, name == null ? code : name, 1, valid);
  }

  /** Saves a new version of a program's configuration and makes it current. */
  public Program update(String code, ProgramConfig config, String actor) {
    ProgramConfig valid = validated(config);
    Program current = get(code);
    if (valid.tierCount() < current.config().tierCount()) {
      throw PondException.invalid("tiers", "tiers can be added but not removed (members hold them)");
    }
    int version =
        jdbc.sql("SELECT current_version FROM loyalty_program WHERE id = ? FOR UPDATE").param(current.id()).query(Integer.class).single() + 1;
    Timestamp now = Timestamp.from(clock.instant());
    insertVersion(current.id(), version, valid, actor, now);
    jdbc.sql("UPDATE loyalty_program SET current_version = ? WHERE id = ?").params(version, current.id()).update();
    return new Program(current.id(), code, current.name(), version, valid);
  }

  private void insertVersion(long id, int version, ProgramConfig config, String actor, Timestamp now) {
    jdbc.sql("INSERT INTO loyalty_program_version (program_id, version, config, created_at, created_by) VALUES (?, ?, ?, ?, ?)")
        .params(id, version, JSON.writeValueAsString(config), now, actor)
        .update();
  }

  static ProgramConfig validated(ProgramConfig config) {
    if (config == null) {
      throw PondException.invalid("config", "is required");
    }
    ProgramConfig withDefaults = config.withDefaults();
    if (withDefaults.tiers().stream().anyMatch(t -> t == null)) {
      throw PondException.invalid("tiers", "must not contain null");
    }
    List<ProgramConfig.Violation> violations = withDefaults.violations();
    if (!violations.isEmpty()) {
      throw PondException.invalid(
          violations.getFirst().field(),
          violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
    }
    return withDefaults;
  }

  public Program get(String code) {
    return find(code).orElseThrow(() -> PondException.notFound("loyalty program", code));
  }

  public Optional<Program> find(String code) {
    return jdbc.sql("SELECT id, code, name, current_version FROM loyalty_program WHERE code = ?")
        .param(code)
        .query((rs, n) -> new Program(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), null))
        .optional()
        .map(p -> new Program(p.id(), p.code(), p.name(), p.version(), config(p.id(), p.version())));
  }

  public Program byId(long id) {
    return jdbc.sql("SELECT id, code, name, current_version FROM loyalty_program WHERE id = ?")
        .param(id)
        .query((rs, n) -> new Program(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), null))
        .optional()
        .map(p -> new Program(p.id(), p.code(), p.name(), p.version(), config(p.id(), p.version())))
        .orElseThrow(() -> PondException.notFound("loyalty program", id));
  }

  public List<Program> list() {
    return jdbc.sql("SELECT id FROM loyalty_program ORDER BY id").query(Long.class).list().stream().map(this::byId).toList();
  }

  /** A configuration version; versions never change once saved, so they are cached. */
  public ProgramConfig config(long programId, int version) {
    return configs.computeIfAbsent(
        programId + "/" + version,
        key ->
            jdbc.sql("SELECT config FROM loyalty_program_version WHERE program_id = ? AND version = ?")
                .params(programId, version)
                .query(String.class)
                .optional()
                .map(json -> JSON.readValue(json, ProgramConfig.class))
                .orElseThrow(() -> PondException.notFound("program version", key)));
  }

  public List<Version> versions(String code) {
    Program program = get(code);
    return jdbc.sql("SELECT version, created_at, created_by FROM loyalty_program_version WHERE program_id = ? ORDER BY version DESC")
        .param(program.id())
        .query(
            (rs, n) ->
                new Version(
                    rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3), config(program.id(), rs.getInt(1))))
        .list();
  }
}
