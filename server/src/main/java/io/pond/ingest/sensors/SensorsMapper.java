package io.pond.ingest.sensors;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.LinkKind;
import io.pond.ingest.envelope.domain.ClockSkew;
import io.pond.ingest.envelope.domain.IdentifierNames;
import io.pond.ingest.envelope.domain.Rejection;
import io.pond.ingest.envelope.domain.SensorsPropertyRules;
import io.pond.ingest.intake.JsonFields;
import io.pond.ingest.intake.Parsed;
import io.pond.ingest.intake.RecordException;
import io.pond.platform.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Maps one Sensors Data record onto the envelope, with the checks the Sensors SDKs apply. */
final class SensorsMapper {

  static final Set<String> PROFILE_TYPES =
      Set.of("profile_set", "profile_set_once", "profile_append", "profile_increment", "profile_unset", "profile_delete");
  static final Set<String> ITEM_TYPES = Set.of("item_set", "item_delete");
  static final Set<String> EVENT_TYPES = Set.of("track", "track_signup", "track_id_bind", "track_id_unbind");
  private static final Pattern EVENT_NAME = Pattern.compile("^[a-zA-Z_$][a-zA-Z0-9_$]{0,99}$");

  private final JsonFields fields;

  SensorsMapper(JsonFields fields) {
    this.fields = fields;
  }

  Parsed map(int index, JsonNode record, String project, long sourceId, Instant receivedAt) {
    try {
      if (!record.isObject()) {
        throw RecordException.invalid("type", "each record must be a JSON object");
      }
      return new Parsed.Valid(index, envelope((ObjectNode) record, project, sourceId, receivedAt), () -> fields.write(record));
    } catch (RecordException e) {
      return new Parsed.Refused(index, e.rejection(), fields.write(record));
    }
  }

  private EventEnvelope envelope(ObjectNode r, String project, long sourceId, Instant receivedAt) {
    String type = fields.text(r, "type");
    if (type == null) {
      throw RecordException.invalid("type", "type is required");
    }
    boolean item = ITEM_TYPES.contains(type);
    if (!EVENT_TYPES.contains(type) && !PROFILE_TYPES.contains(type) && !item) {
      throw new RecordException(new Rejection(Rejection.UNKNOWN_TYPE, "type", "unknown record type '" + type + "'"));
    }
    Map<String, Object> properties = fields.map(r, "properties");
    SensorsPropertyRules.check(properties).ifPresent(x -> {
      throw new RecordException(x);
    });
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("lib", fields.map(r, "lib"));
    String recordProject = fields.text(r, "project");
    if (recordProject != null || project != null) {
      context.put("project", recordProject != null ? recordProject : project);
    }

    List<Identifier> identifiers = new ArrayList<>();
    Identifier previous = null;
    LinkKind link = LinkKind.TOGETHER;
    String event = null;
    String envelopeType = type;
    if (item) {
      String itemType = fields.text(r, "item_type");
      String itemId = fields.text(r, "item_id");
      if (itemType == null || itemId == null) {
        throw RecordException.invalid(itemType == null ? "item_type" : "item_id", "item records need item_type and item_id");
      }
      properties.put("item_type", itemType);
      properties.put("item_id", itemId);
    } else {
      String distinctId = fields.text(r, "distinct_id");
      SensorsPropertyRules.checkId("distinct_id", distinctId).ifPresent(x -> {
        throw new RecordException(x);
      });
      identities(r, identifiers);
      if (identifiers.isEmpty()) {
        String loginId = fields.text(r, "login_id");
        String anonymousId = fields.text(r, "anonymous_id");
        if (loginId != null) {
          identifiers.add(IdentifierNames.loginId(loginId));
        }
        if (anonymousId != null) {
          identifiers.add(Identifier.global(Identifier.ANONYMOUS_ID, anonymousId));
        }
        boolean isLogin = distinctId.equals(loginId) || Boolean.TRUE.equals(properties.get("$is_login_id"));
        Identifier distinct = IdentifierNames.sensorsDistinctId(distinctId, isLogin);
        if (!identifiers.contains(distinct) && !distinctId.equals(anonymousId)) {
          identifiers.add(distinct);
        }
      }
      if (EVENT_TYPES.contains(type)) {
        event = fields.text(r, "event");
        if (event == null || !EVENT_NAME.matcher(event).matches()) {
          throw RecordException.invalid("event", "event must match " + EVENT_NAME.pattern());
        }
      }
      switch (type) {
        case "track_signup" -> {
          String originalId = fields.text(r, "original_id");
          SensorsPropertyRules.checkId("original_id", originalId).ifPresent(x -> {
            throw new RecordException(x);
          });
          envelopeType = "signup";
          link = LinkKind.SIGNUP;
          previous = Identifier.global(Identifier.ANONYMOUS_ID, originalId);
          Identifier login = IdentifierNames.loginId(distinctId);
          identifiers.remove(previous);
          identifiers.remove(IdentifierNames.sensorsDistinctId(distinctId, false));
          if (!identifiers.contains(login)) {
            identifiers.add(login);
          }
        }
        case "track_id_bind" -> {
          if (r.get("identities") == null || identifiers.size() < 2) {
            throw new RecordException(
                new Rejection(Rejection.MISSING_IDENTIFIER, "identities", "track_id_bind needs at least two identities"));
          }
          envelopeType = "bind";
          link = LinkKind.BIND;
        }
        case "track_id_unbind" -> {
          if (r.get("identities") == null || identifiers.isEmpty()) {
            throw new RecordException(
                new Rejection(Rejection.MISSING_IDENTIFIER, "identities", "track_id_unbind needs one identity"));
          }
          envelopeType = "unbind";
          link = LinkKind.UNBIND;
        }
        default -> {}
      }
    }
    Map<String, Object> traits = Map.of();
    if (PROFILE_TYPES.contains(type)) {
      traits = properties;
      properties = Map.of();
    }
    Instant time = epochMillis(r, "time");
    Instant flushTime = epochMillis(r, "_flush_time");
    Instant when = ClockSkew.corrected(time, flushTime, receivedAt);
    return new EventEnvelope(
        0, sourceId, messageId(r), "sensors", envelopeType, event, when, receivedAt, identifiers, link, previous,
        properties, traits, context);
  }

  private void identities(ObjectNode r, List<Identifier> out) {
    JsonNode identities = r.get("identities");
    if (identities == null || identities.isNull()) {
      return;
    }
    if (!identities.isObject()) {
      throw RecordException.invalid("identities", "identities must be an object");
    }
    for (Map.Entry<String, JsonNode> e : identities.properties()) {
      String field = "identities." + e.getKey();
      String value = e.getValue().isString() || e.getValue().isNumber() ? e.getValue().asString() : null;
      SensorsPropertyRules.checkId(field, value).ifPresent(x -> {
        throw new RecordException(x);
      });
      Identifier id =
          IdentifierNames.sensorsIdentity(e.getKey(), value)
              .orElseThrow(
                  () ->
                      new RecordException(
                          new Rejection(Rejection.UNDEFINED_IDENTITY, field, "identity key '" + e.getKey() + "' is not defined")));
      if (!out.contains(id)) {
        out.add(id);
      }
    }
  }

  private Instant epochMillis(JsonNode r, String field) {
    JsonNode node = r.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.canConvertToLong()) {
      throw RecordException.invalid(field, field + " must be epoch milliseconds");
    }
    return Instant.ofEpochMilli(node.asLong());
  }

  /**
   * Sensors records have no message id; a record's content without {@code _flush_time} (which
   * changes when an SDK resends) identifies it, and SDKs put a random {@code _track_id} in each.
   */
  private String messageId(ObjectNode r) {
    ObjectNode copy = r.deepCopy();
    copy.remove("_flush_time");
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(fields.write(copy).getBytes(StandardCharsets.UTF_8));
      return "sa-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
