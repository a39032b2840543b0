package io.pond.ingest.plan;

import io.pond.ingest.plan.domain.PropertyType;
import io.pond.ingest.plan.domain.TrackingPlan;
import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tracking plans, one per source at most: stored in the OLTP store, compiled and held in memory for
 * the ingestion path ({@link #planOf}).
 */
@Component
public class TrackingPlans {

  static final int MAX_NAME = 200;
  static final int MAX_DEFINITION_CHARS = 200_000;

  /** A plan as the API sends and receives it. */
  public record Definition(String mode, Boolean allowUnplannedEvents, List<EventDefinition> events) {}

  public record EventDefinition(
      String name, String description, Boolean allowOtherProperties, Map<String, PropertyDefinition> properties) {}

  public record PropertyDefinition(String type, Boolean required, String description) {}

  /** A stored plan with its version. */
  public record Stored(long sourceId, int version, Definition definition, Instant updatedAt, String updatedBy) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final JsonMapper json;
  private final ApiKeys keys;
  private final AuditLog audit;
  private final Clock clock;
  private volatile Map<Long, TrackingPlan> compiled;

  TrackingPlans(JdbcClient jdbc, TransactionTemplate tx, JsonMapper json, ApiKeys keys, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.json = json;
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  /** The compiled plan of a source, or null when it has none. Cheap: read from memory. */
  public TrackingPlan planOf(long sourceId) {
    Map<Long, TrackingPlan> plans = compiled;
    if (plans == null) {
      plans = reload();
    }
    return plans.get(sourceId);
  }

  public Optional<Stored> get(long sourceId) {
    requireSource(sourceId);
    return jdbc.sql("SELECT source_id, version, definition, updated_at, updated_by FROM tracking_plan WHERE source_id = ?")
        .param(sourceId)
        .query((rs, n) -> new Stored(rs.getLong(1), rs.getInt(2), json.readValue(rs.getString(3), Definition.class),
            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5)))
        .optional();
  }

  /** Creates or replaces a source's plan after validating it; returns the stored version. */
  public Stored put(long sourceId, Definition definition, String actor) {
    requireSource(sourceId);
    TrackingPlan plan = compile(definition);
    String text = json.writeValueAsString(normalized(definition, plan));
    if (text.length() > MAX_DEFINITION_CHARS) {
      throw PondException.invalid("events", "a tracking plan may be at most " + MAX_DEFINITION_CHARS + " characters of JSON");
    }
    Timestamp now = Timestamp.from(clock.instant());
    tx.executeWithoutResult(s -> {
      int updated = jdbc.sql("UPDATE tracking_plan SET version = version + 1, mode = ?, definition = ?, updated_at = ?,"
              + " updated_by = ? WHERE source_id = ?")
          .params(plan.mode().name().toLowerCase(Locale.ROOT), text, now, actor, sourceId)
          .update();
      if (updated == 0) {
        jdbc.sql("INSERT INTO tracking_plan (source_id, version, mode, definition, updated_at, updated_by)"
                + " VALUES (?, 1, ?, ?, ?, ?)")
            .params(sourceId, plan.mode().name().toLowerCase(Locale.ROOT), text, now, actor)
            .update();
      }
      audit.record(actor, "ingest.tracking_plan.saved", "source:" + sourceId,
          plan.mode().name().toLowerCase(Locale.ROOT) + ", " + plan.events().size() + " events");
    });
    reload();
    return get(sourceId).orElseThrow();
  }

  /** Removes a source's plan: its records are no longer checked. Counted violations are kept. */
  public boolean delete(long sourceId, String actor) {
    requireSource(sourceId);
    Boolean deleted = tx.execute(s -> {
      int n = jdbc.sql("DELETE FROM tracking_plan WHERE source_id = ?").param(sourceId).update();
      if (n > 0) {
        audit.record(actor, "ingest.tracking_plan.deleted", "source:" + sourceId, "");
      }
      return n > 0;
    });
    reload();
    return Boolean.TRUE.equals(deleted);
  }

  /** Reads every plan from the store again. */
  synchronized Map<Long, TrackingPlan> reload() {
    Map<Long, TrackingPlan> plans = new HashMap<>();
    jdbc.sql("SELECT source_id, definition FROM tracking_plan")
        .query((rs, n) -> Map.entry(rs.getLong(1), compile(json.readValue(rs.getString(2), Definition.class))))
        .list()
        .forEach(e -> plans.put(e.getKey(), e.getValue()));
    compiled = Map.copyOf(plans);
    return compiled;
  }

  private void requireSource(long sourceId) {
    if (keys.sources().stream().noneMatch(s -> s.id() == sourceId)) {
      throw PondException.notFound("Source", String.valueOf(sourceId));
    }
  }

  /** Validates a definition and compiles it; a problem is answered 400 with the field at fault. */
  static TrackingPlan compile(Definition d) {
    if (d == null) {
      throw PondException.invalid("events", "send a tracking plan");
    }
    TrackingPlan.Mode mode;
    if (d.mode() == null || d.mode().equals("observe")) {
      mode = TrackingPlan.Mode.OBSERVE;
    } else if (d.mode().equals("block")) {
      mode = TrackingPlan.Mode.BLOCK;
    } else {
      throw PondException.invalid("mode", "mode must be 'observe' or 'block' (was '" + d.mode() + "')");
    }
    if (d.events() == null) {
      throw PondException.invalid("events", "events is required (it may be empty)");
    }
    Map<String, TrackingPlan.EventSpec> events = new LinkedHashMap<>();
    for (int i = 0; i < d.events().size(); i++) {
      EventDefinition e = d.events().get(i);
      String at = "events[" + i + "]";
      if (e == null || e.name() == null || e.name().isBlank() || e.name().length() > MAX_NAME) {
        throw PondException.invalid(at + ".name", "each event needs a name of 1 to " + MAX_NAME + " characters");
      }
      if (events.containsKey(e.name())) {
        throw PondException.invalid(at + ".name", "event '" + e.name() + "' is planned twice");
      }
      Map<String, TrackingPlan.PropertySpec> properties = new LinkedHashMap<>();
      Set<String> seen = new HashSet<>();
      if (e.properties() != null) {
        for (Map.Entry<String, PropertyDefinition> p : e.properties().entrySet()) {
          String field = at + ".properties." + p.getKey();
          if (p.getKey().isBlank() || p.getKey().length() > MAX_NAME || !seen.add(p.getKey())) {
            throw PondException.invalid(field, "property names must be 1 to " + MAX_NAME + " characters");
          }
          PropertyDefinition def = p.getValue();
          PropertyType type = def == null || def.type() == null ? null : PropertyType.fromWire(def.type());
          if (type == null) {
            throw PondException.invalid(field + ".type",
                "type must be one of string, number, integer, boolean, object, array, any");
          }
          properties.put(p.getKey(), new TrackingPlan.PropertySpec(type, Boolean.TRUE.equals(def.required())));
        }
      }
      events.put(e.name(), new TrackingPlan.EventSpec(e.name(), properties, !Boolean.FALSE.equals(e.allowOtherProperties())));
    }
    return new TrackingPlan(mode, Boolean.TRUE.equals(d.allowUnplannedEvents()), events);
  }

  /** The definition with its defaults spelled out, as it is stored and shown. */
  private static Definition normalized(Definition d, TrackingPlan plan) {
    return new Definition(
        plan.mode().name().toLowerCase(Locale.ROOT),
        plan.allowUnplannedEvents(),
        d.events().stream()
            .map(e -> new EventDefinition(e.name(), e.description(), !Boolean.FALSE.equals(e.allowOtherProperties()),
                e.properties() == null ? Map.of() : normalizedProperties(e.properties())))
            .toList());
  }

  private static Map<String, PropertyDefinition> normalizedProperties(Map<String, PropertyDefinition> properties) {
    Map<String, PropertyDefinition> out = new LinkedHashMap<>();
    properties.forEach((name, p) -> out.put(name, new PropertyDefinition(p.type(), Boolean.TRUE.equals(p.required()), p.description())));
    return out;
  }
}
