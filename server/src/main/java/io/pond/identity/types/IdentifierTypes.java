package io.pond.identity.types;

import io.pond.identity.types.domain.BuiltInTypes;
import io.pond.identity.types.domain.IdentifierRules;
import io.pond.identity.types.domain.IdentifierType;
import io.pond.identity.types.domain.PiiKind;
import io.pond.identity.types.domain.ScopeKind;
import io.pond.identity.types.domain.Strength;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.pii.PiiCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The identifier type registry: built-in types seeded on first start, brand types added through the
 * API, every change kept as a new version. {@link #rules()} is the compiled current version.
 */
public class IdentifierTypes {

  private static final String PATTERN_SEPARATOR = "\n";

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final PiiCipher cipher;
  private final AuditLog audit;
  private final AtomicInteger revision = new AtomicInteger();
  private volatile IdentifierRules rules;

  public IdentifierTypes(JdbcClient jdbc, TransactionTemplate tx, Clock clock, PiiCipher cipher, AuditLog audit) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.cipher = cipher;
    this.audit = audit;
    tx.executeWithoutResult(s -> seed());
    reload();
  }

  /** A request to add a type or change its rules. */
  public record Change(
      String name,
      String scopeKind,
      String strength,
      Integer priority,
      Integer maxPerPerson,
      Integer windowDays,
      List<String> junkPatterns) {}

  /** Increases whenever rules change, so that the graph can pick them up. */
  public int revision() {
    return revision.get();
  }

  public IdentifierRules rules() {
    return rules;
  }

  public List<IdentifierType> list() {
    return List.copyOf(rules.types());
  }

  public IdentifierType get(String name) {
    IdentifierType type = rules.type(name);
    if (type == null) {
      throw PondException.notFound("Identifier type", name);
    }
    return type;
  }

  public List<IdentifierType> history(String name) {
    get(name);
    return jdbc.sql(
            "SELECT name, version, scope_kind, strength, priority, max_per_person, window_days, junk_patterns, pii,"
                + " FALSE AS built_in FROM identity_type_version WHERE name = ? ORDER BY version")
        .param(name)
        .query((rs, n) -> type(rs))
        .list();
  }

  /** Adds a brand type; its scope kind and strength are required, the rest has defaults. */
  public IdentifierType add(Change change, String actor) {
    String problem = IdentifierType.problem(change.name(), or(change.priority(), 50), or(change.maxPerPerson(), 1),
        or(change.windowDays(), 0), change.junkPatterns() == null ? List.of() : change.junkPatterns());
    if (problem != null) {
      throw invalid(problem);
    }
    if (rules.type(change.name()) != null) {
      throw new PondException(ErrorCode.CONFLICT, "identifier type " + change.name() + " already exists", "name");
    }
    IdentifierType type =
        new IdentifierType(
            change.name(),
            enumValue("scopeKind", change.scopeKind(), ScopeKind::fromWire, ScopeKind.GLOBAL),
            enumValue("strength", change.strength(), Strength::fromWire, null),
            or(change.priority(), 50),
            or(change.maxPerPerson(), 1),
            or(change.windowDays(), 0),
            change.junkPatterns() == null ? List.of() : change.junkPatterns(),
            PiiKind.NONE,
            1,
            false);
    tx.executeWithoutResult(
        s -> {
          insert(type, actor);
          audit.record(actor, "identity.type.added", type.name(), describe(type));
        });
    reload();
    return get(type.name());
  }

  /**
   * Changes a type's rules (priority, limit, window, junk patterns, strength). The scope kind and the
   * personal-data handling of a type are fixed once it exists: changing them would re-key stored
   * identifiers.
   */
  public IdentifierType change(String name, Change change, String actor) {
    IdentifierType old = get(name);
    if (change.scopeKind() != null && !change.scopeKind().equalsIgnoreCase(old.scopeKind().wire())) {
      throw PondException.invalid("scopeKind", "the scope kind of an existing type cannot change");
    }
    IdentifierType type =
        new IdentifierType(
            name,
            old.scopeKind(),
            enumValue("strength", change.strength(), Strength::fromWire, old.strength()),
            or(change.priority(), old.priority()),
            or(change.maxPerPerson(), old.maxPerPerson()),
            or(change.windowDays(), old.windowDays()),
            change.junkPatterns() == null ? old.junkPatterns() : change.junkPatterns(),
            old.pii(),
            old.version() + 1,
            old.builtIn());
    String problem = IdentifierType.problem(name, type.priority(), type.maxPerPerson(), type.windowDays(), type.junkPatterns());
    if (problem != null) {
      throw invalid(problem);
    }
    tx.executeWithoutResult(
        s -> {
          int updated =
              jdbc.sql(
                      "UPDATE identity_type SET strength = ?, priority = ?, max_per_person = ?, window_days = ?,"
                          + " junk_patterns = ?, version = ?, updated_at = ?, updated_by = ? WHERE name = ? AND version = ?")
                  .params(type.strength().wire(), type.priority(), type.maxPerPerson(), type.windowDays(),
                      patterns(type), type.version(), now(), actor, name, old.version())
                  .update();
          if (updated != 1) {
            throw new PondException(ErrorCode.CONFLICT, "identifier type " + name + " changed meanwhile; retry");
          }
          version(type, actor);
          audit.record(actor, "identity.type.changed", name, "v" + type.version() + " " + describe(type));
        });
    reload();
    return get(name);
  }

  /** Reads the registry from the store again (after a change, or a change by another process). */
  public void reload() {
    List<IdentifierType> types =
        jdbc.sql(
                "SELECT name, version, scope_kind, strength, priority, max_per_person, window_days, junk_patterns, pii,"
                    + " built_in FROM identity_type ORDER BY priority DESC, name")
            .query((rs, n) -> type(rs))
            .list();
    rules = new IdentifierRules(types, cipher::keyedHash);
    revision.incrementAndGet();
  }

  private void seed() {
    Map<String, Integer> existing =
        jdbc.sql("SELECT name, version FROM identity_type").query((rs, n) -> Map.entry(rs.getString(1), rs.getInt(2)))
            .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    for (IdentifierType type : BuiltInTypes.ALL) {
      if (!existing.containsKey(type.name())) {
        insert(type, "system");
      }
    }
  }

  private void insert(IdentifierType type, String actor) {
    jdbc.sql(
            "INSERT INTO identity_type (name, scope_kind, strength, priority, max_per_person, window_days, junk_patterns,"
                + " pii, version, built_in, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(type.name(), type.scopeKind().wire(), type.strength().wire(), type.priority(), type.maxPerPerson(),
            type.windowDays(), patterns(type), type.pii().wire(), type.version(), type.builtIn(), now(), actor)
        .update();
    version(type, actor);
  }

  private void version(IdentifierType type, String actor) {
    jdbc.sql(
            "INSERT INTO identity_type_version (name, version, scope_kind, strength, priority, max_per_person, window_days,"
                + " junk_patterns, pii, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(type.name(), type.version(), type.scopeKind().wire(), type.strength().wire(), type.priority(),
            type.maxPerPerson(), type.windowDays(), patterns(type), type.pii().wire(), now(), actor)
        .update();
  }

  private static IdentifierType type(ResultSet rs) throws SQLException {
    String patterns = rs.getString("junk_patterns");
    return new IdentifierType(
        rs.getString("name"),
        ScopeKind.fromWire(rs.getString("scope_kind")),
        Strength.fromWire(rs.getString("strength")),
        rs.getInt("priority"),
        rs.getInt("max_per_person"),
        rs.getInt("window_days"),
        patterns.isEmpty() ? List.of() : Arrays.asList(patterns.split(PATTERN_SEPARATOR)),
        PiiKind.fromWire(rs.getString("pii")),
        rs.getInt("version"),
        rs.getBoolean("built_in"));
  }

  private static String patterns(IdentifierType type) {
    for (String p : type.junkPatterns()) {
      if (p.contains(PATTERN_SEPARATOR)) {
        throw PondException.invalid("junkPatterns", "a pattern may not contain a line break");
      }
    }
    return String.join(PATTERN_SEPARATOR, type.junkPatterns());
  }

  private static String describe(IdentifierType t) {
    return String.format("%s scope=%s strength=%s priority=%d max=%d window=%dd junk=%s", t.name(), t.scopeKind().wire(),
        t.strength().wire(), t.priority(), t.maxPerPerson(), t.windowDays(), t.junkPatterns());
  }

  private Timestamp now() {
    return Timestamp.from(Instant.now(clock));
  }

  private static PondException invalid(String problem) {
    int colon = problem.indexOf(':');
    return PondException.invalid(problem.substring(0, colon), problem.substring(colon + 2));
  }

  private static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static <E> E enumValue(String field, String value, java.util.function.Function<String, E> parse, E fallback) {
    if (value == null) {
      if (fallback == null) {
        throw PondException.invalid(field, "is required");
      }
      return fallback;
    }
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw PondException.invalid(field, "'" + value + "' is not allowed");
    }
  }
}
