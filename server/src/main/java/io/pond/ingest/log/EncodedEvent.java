package io.pond.ingest.log;

import io.pond.ingest.EventEnvelope;
import tools.jackson.databind.json.JsonMapper;

/**
 * An event with its JSON columns and its log frame already written, so that the event log's single
 * writer thread only copies bytes: the serialization (and the frame's checksum) runs on the request
 * threads, in parallel.
 */
public record EncodedEvent(
    EventEnvelope envelope, String identifiers, String previous, String properties, String traits, String context,
    long dedupHash, byte[] frame)
    implements LogFrames.EncodedEventParts {

  public static EncodedEvent of(EventEnvelope e, JsonMapper json) {
    String identifiers = json.writeValueAsString(e.identifiers());
    String previous = e.previous() == null ? null : json.writeValueAsString(e.previous());
    String properties = object(e.properties(), json);
    String traits = object(e.traits(), json);
    String context = object(e.context(), json);
    long hash = EventLog.hash(e.sourceId(), e.messageId());
    Parts parts = new Parts(e, identifiers, previous, properties, traits, context);
    return new EncodedEvent(e, identifiers, previous, properties, traits, context, hash, LogFrames.event(parts, hash));
  }

  private static String object(java.util.Map<String, Object> map, JsonMapper json) {
    return map.isEmpty() ? "{}" : json.writeValueAsString(map);
  }

  private record Parts(
      EventEnvelope envelope, String identifiers, String previous, String properties, String traits, String context)
      implements LogFrames.EncodedEventParts {}

  /** The stored size in UTF-8 bytes, as the per-event limit counts it. */
  public int bytes() {
    EventEnvelope e = envelope;
    return utf8(e.messageId()) + utf8(e.type()) + utf8(e.event()) + utf8(identifiers) + utf8(previous)
        + utf8(properties) + utf8(traits) + utf8(context);
  }

  static int utf8(String s) {
    if (s == null) {
      return 0;
    }
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        // 2 bytes up to U+07FF, else 3; a surrogate pair is 4 bytes, 2 per char
        n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
      }
    }
    return n;
  }
}
