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
import java.util.function.Supplier;

/**
 * Maps one Segment (or RudderStack) message onto the envelope, or says why it cannot. A message is
 * the plain Java value {@link SegmentBody} reads (maps, lists, strings, numbers, booleans, null);
 * the checks and their order are those of the former tree mapping ({@code TreeSegmentMapper} in the
 * tests, which compare both on varied messages).
 */
final class SegmentMapper {

  static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");
  static final int MAX_MESSAGE_ID = 100;

  private static final Defaults NONE = new Defaults(Map.of(), null, null);

  /**
   * Request-level values applied to every message of a batch.
   *
   * @param integrations the batch's {@code integrations} value (null when absent or JSON null)
   */
  record Defaults(Map<String, Object> context, Object integrations, Instant sentAt) {
    static Defaults none() {
      return NONE;
    }
  }

  /**
   * @param message the message as read by {@link SegmentBody}; its maps become the envelope's
   *     (they are not shared with anything else)
   * @param raw the message's JSON for the dead-letter store
   */
  Parsed map(int index, Object message, Supplier<String> raw, String type, Defaults defaults, long sourceId,
      Instant receivedAt) {
    try {
      if (!(message instanceof Map<?, ?>)) {
        throw RecordException.invalid("type", "each message must be a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) message;
      return new Parsed.Valid(index, envelope(m, type, defaults, sourceId, receivedAt), raw);
    } catch (RecordException e) {
      return new Parsed.Refused(index, e.rejection(), raw.get());
    }
  }

  private EventEnvelope envelope(Map<String, Object> m, String pathType, Defaults defaults, long sourceId,
      Instant receivedAt) {
    String type = pathType != null ? pathType : text(m, "type");
    if (type == null) {
      throw RecordException.invalid("type", "type is required");
    }
    if (!TYPES.contains(type)) {
      throw new RecordException(
          new Rejection(Rejection.UNKNOWN_TYPE, "type", "type must be one of " + TYPES + " (was '" + type + "')"));
    }
    String messageId = text(m, "messageId");
    if (messageId == null) {
      // Segment's own libraries always send one; without it the message cannot be deduplicated.
      messageId = "pond-" + UUID.randomUUID();
    } else if (messageId.length() > MAX_MESSAGE_ID) {
      throw RecordException.invalid("messageId", "messageId is longer than " + MAX_MESSAGE_ID + " characters");
    }
    String userId = text(m, "userId");
    String anonymousId = text(m, "anonymousId");

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
    Map<String, Object> properties = map(m, "properties");
    Map<String, Object> traits = map(m, "traits");
    switch (type) {
      case "track" -> {
        event = text(m, "event");
        if (event == null) {
          throw RecordException.invalid("event", "a track message needs an event name");
        }
      }
      case "page", "screen" -> event = text(m, "name");
      case "group" -> {
        String groupId = text(m, "groupId");
        if (groupId == null) {
          throw RecordException.invalid("groupId", "a group message needs a groupId");
        }
        properties.put("groupId", groupId);
      }
      case "alias" -> {
        String previousId = text(m, "previousId");
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
    Instant original = instant(m, "originalTimestamp");
    Instant timestamp = instant(m, "timestamp");
    Instant sentAt = instant(m, "sentAt");
    if (sentAt == null) {
      sentAt = defaults.sentAt();
    }
    Instant when = ClockSkew.corrected(original != null ? original : timestamp, sentAt, receivedAt);
    return new EventEnvelope(
        0, sourceId, messageId, "segment", type, event, when, receivedAt, identifiers, link, previous,
        properties, traits, context);
  }

  private Map<String, Object> contextOf(Map<String, Object> m, Defaults defaults) {
    Map<String, Object> own = map(m, "context");
    Map<String, Object> merged;
    if (defaults.context().isEmpty()) {
      merged = own; // PERF: the message's own map (read for it alone), not a copy
    } else {
      merged = new LinkedHashMap<>(defaults.context());
      merged.putAll(own);
    }
    Object integrations = m.containsKey("integrations") ? m.get("integrations") : defaults.integrations();
    if (integrations != null) {
      merged.put("integrations", integrations);
    }
    return merged;
  }

  private List<Identifier> externalIds(Map<String, Object> m) {
    Object external = m.get("context") instanceof Map<?, ?> context ? context.get("externalIds") : null;
    if (external == null) {
      return List.of();
    }
    if (!(external instanceof List<?> list)) {
      throw RecordException.invalid("context.externalIds", "context.externalIds must be an array");
    }
    List<Identifier> ids = new ArrayList<>();
    int i = 0;
    for (Object item : list) {
      String field = "context.externalIds[" + i++ + "]";
      if (!(item instanceof Map<?, ?>)) {
        throw RecordException.invalid(field, field + " must be an object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) item;
      String id = text(e, "id");
      String idType = text(e, "type");
      if (id == null || idType == null) {
        throw RecordException.invalid(field, field + " needs an id and a type");
      }
      ids.add(IdentifierNames.segmentExternalId(idType, id, text(e, "collection")));
    }
    return ids;
  }

  /** A string (or number, as text) field; null when absent, JSON null or blank (as JsonFields.text). */
  static String text(Map<String, Object> record, String field) {
    Object v = record.get(field);
    if (v == null) {
      return null;
    }
    String text;
    if (v instanceof String s) {
      text = s;
    } else if (v instanceof Number n) {
      text = n.toString();
    } else {
      throw RecordException.invalid(field, field + " must be a string");
    }
    return text.isBlank() ? null : text;
  }

  /** An ISO-8601 time field; null when absent (as JsonFields.instant). */
  static Instant instant(Map<String, Object> record, String field) {
    return JsonFields.instant(field, text(record, field));
  }

  /** An object field (the message's own map); a new empty map when absent or JSON null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> record, String field) {
    Object v = record.get(field);
    if (v == null) {
      return new LinkedHashMap<>();
    }
    if (!(v instanceof Map<?, ?>)) {
      throw RecordException.invalid(field, field + " must be an object");
    }
    return (Map<String, Object>) v;
  }
}
