package io.pond.ingest.segment;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.LinkKind;
import io.pond.ingest.envelope.domain.ClockSkew;
import io.pond.ingest.envelope.domain.IdentifierNames;
import io.pond.ingest.envelope.domain.Rejection;
import io.pond.ingest.intake.JsonFields;
import io.pond.ingest.intake.Parsed;
import io.pond.ingest.intake.RecordException;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The tree-based mapping Pond used before {@link SegmentMapper} (kept as the reference for SegmentStreamingTest): maps one Segment (or RudderStack) message onto the envelope, or says why it cannot. */
final class TreeSegmentMapper {

  static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");
  static final int MAX_MESSAGE_ID = 100;

  private final JsonFields fields;

  TreeSegmentMapper(JsonFields fields) {
    this.fields = fields;
  }

  /** Request-level values applied to every message of a batch. */
  record Defaults(ObjectNode context, JsonNode integrations, Instant sentAt) {}

  Parsed map(int index, JsonNode message, String type, Defaults defaults, long sourceId, Instant receivedAt) {
    try {
      if (!message.isObject()) {
        throw RecordException.invalid("type", "each message must be a JSON object");
      }
      return new Parsed.Valid(index, envelope(message, type, defaults, sourceId, receivedAt), () -> fields.write(message));
    } catch (RecordException e) {
      return new Parsed.Refused(index, e.rejection(), fields.write(message));
    }
  }

  private EventEnvelope envelope(JsonNode m, String pathType, Defaults defaults, long sourceId, Instant receivedAt) {
    String type = pathType != null ? pathType : fields.text(m, "type");
    if (type == null) {
      throw RecordException.invalid("type", "type is required");
    }
    if (!TYPES.contains(type)) {
      throw new RecordException(
          new Rejection(Rejection.UNKNOWN_TYPE, "type", "type must be one of " + TYPES + " (was '" + type + "')"));
    }
    String messageId = fields.text(m, "messageId");
    if (messageId == null) {
      // Segment's own libraries always send one; without it the message cannot be deduplicated.
      messageId = "pond-" + UUID.randomUUID();
    } else if (messageId.length() > MAX_MESSAGE_ID) {
      throw RecordException.invalid("messageId", "messageId is longer than " + MAX_MESSAGE_ID + " characters");
    }
    String userId = fields.text(m, "userId");
    String anonymousId = fields.text(m, "anonymousId");

    Map<String, Object> context = contextOf(m, defaults);
    List<Identifier> identifiers = new ArrayList<>();
    if (anonymousId != null) {
      identifiers.add(IdentifierNames.segmentAnonymousId(anonymousId));
    }
    if (userId != null) {
      identifiers.add(IdentifierNames.segmentUserId(userId));
    }
    externalIds(m).forEach(id -> {
      if (!identifiers.contains(id)) {
        identifiers.add(id);
      }
    });

    String event = null;
    LinkKind link = LinkKind.TOGETHER;
    Identifier previous = null;
    Map<String, Object> properties = fields.map(m, "properties");
    Map<String, Object> traits = fields.map(m, "traits");
    switch (type) {
      case "track" -> {
        event = fields.text(m, "event");
        if (event == null) {
          throw RecordException.invalid("event", "a track message needs an event name");
        }
      }
      case "page", "screen" -> event = fields.text(m, "name");
      case "group" -> {
        String groupId = fields.text(m, "groupId");
        if (groupId == null) {
          throw RecordException.invalid("groupId", "a group message needs a groupId");
        }
        properties.put("groupId", groupId);
      }
      case "alias" -> {
        String previousId = fields.text(m, "previousId");
        if (previousId == null) {
          throw RecordException.invalid("previousId", "an alias message needs a previousId");
        }
        if (userId == null) {
          throw RecordException.invalid("userId", "an alias message needs a userId");
        }
        link = LinkKind.ALIAS;
        // previousId is the anonymous id when the client says so, else an earlier user id.
        previous =
            previousId.equals(anonymousId)
                ? IdentifierNames.segmentAnonymousId(previousId)
                : IdentifierNames.segmentUserId(previousId);
        identifiers.remove(previous);
      }
      default -> {}
    }
    if (identifiers.isEmpty()) {
      throw new RecordException(
          new Rejection(Rejection.MISSING_IDENTIFIER, "userId", "a message needs a userId or an anonymousId"));
    }
    Instant original = fields.instant(m, "originalTimestamp");
    Instant timestamp = fields.instant(m, "timestamp");
    Instant sentAt = fields.instant(m, "sentAt");
    if (sentAt == null) {
      sentAt = defaults.sentAt();
    }
    Instant when = ClockSkew.corrected(original != null ? original : timestamp, sentAt, receivedAt);
    return new EventEnvelope(
        0, sourceId, messageId, "segment", type, event, when, receivedAt, identifiers, link, previous,
        properties, traits, context);
  }

  private Map<String, Object> contextOf(JsonNode m, Defaults defaults) {
    @SuppressWarnings("unchecked")
    Map<String, Object> merged = (Map<String, Object>) JsonFields.toJava(defaults.context());
    merged.putAll(fields.map(m, "context"));
    JsonNode integrations = m.get("integrations") != null ? m.get("integrations") : defaults.integrations();
    if (integrations != null && !integrations.isNull()) {
      merged.put("integrations", JsonFields.toJava(integrations));
    }
    return merged;
  }

  private List<Identifier> externalIds(JsonNode m) {
    JsonNode context = m.get("context");
    JsonNode external = context == null ? null : context.get("externalIds");
    if (external == null || external.isNull()) {
      return List.of();
    }
    if (!external.isArray()) {
      throw RecordException.invalid("context.externalIds", "context.externalIds must be an array");
    }
    List<Identifier> ids = new ArrayList<>();
    int i = 0;
    for (JsonNode e : external.values()) {
      String field = "context.externalIds[" + i++ + "]";
      if (!e.isObject()) {
        throw RecordException.invalid(field, field + " must be an object");
      }
      String id = fields.text(e, "id");
      String idType = fields.text(e, "type");
      if (id == null || idType == null) {
        throw RecordException.invalid(field, field + " needs an id and a type");
      }
      ids.add(IdentifierNames.segmentExternalId(idType, id, fields.text(e, "collection")));
    }
    return ids;
  }
}
