package io.pond.ingest.log;

import io.pond.ingest.EventEnvelope;
import tools.jackson.databind.json.JsonMapper;

/**
 * An event with its log frame already written (JSON columns and checksum included), so that the
 * event log's single writer thread only copies bytes: the serialization runs on the request
 * threads, in parallel.
 *
 * @param bytes the stored size in UTF-8 bytes (messageId, type, event and the JSON columns), as the
 *     per-event limit counts it
 */
public record EncodedEvent(EventEnvelope envelope, long dedupHash, byte[] frame, int bytes) {

  /**
   * Encodes the event with its personal data sealed ({@link EventPii}); its JSON columns are written as
   * {@code json} writes them.
   */
  public static EncodedEvent of(EventEnvelope e, JsonMapper json, EventPii pii) {
    long hash = EventLog.hash(e.sourceId(), e.messageId());
    EventPii.Sealed sealed = pii.seal(e);
    LogFrames.EventFrame f = LogFrames.event(sealed.envelope(), hash, JsonColumns.of(json), sealed.indexed());
    return new EncodedEvent(e, hash, f.frame(), f.storedBytes());
  }
}
