package io.pond.ingest;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One event as Pond keeps it, whatever protocol it came by (Segment, Sensors Data, native). Stored in
 * the event log in the order of {@link #offset()} and handed to every {@link EventLogConsumer}.
 *
 * @param offset position in the event log: strictly increasing in commit order, without gaps
 *     ({@code 0} before the envelope is committed)
 * @param sourceId the ingestion source whose write key sent the event
 * @param messageId the client's idempotency key; {@code (sourceId, messageId)} is stored once
 * @param protocol {@code segment}, {@code sensors} or {@code native}
 * @param type {@code track}, {@code identify}, {@code page}, {@code screen}, {@code group},
 *     {@code alias}, {@code signup}, {@code bind}, {@code unbind}, {@code profile_set} and the other
 *     Sensors {@code profile_*} / {@code item_*} record types
 * @param event the event name for {@code track} (and the page/screen name), else null
 * @param timestamp when it happened, corrected for client clock skew:
 *     {@code receivedAt − (sentAt − originalTimestamp)} when the client sent both
 * @param receivedAt when Pond received it (Pond's clock)
 * @param identifiers the typed identifiers of the person who acted (type names as in
 *     {@link Identifier}); empty only for records about items
 * @param link how {@code identifiers} and {@code previous} relate
 * @param previous for {@link LinkKind#ALIAS} the {@code previousId}, for {@link LinkKind#SIGNUP}
 *     the {@code original_id}; null otherwise
 * @param properties event properties (JSON values: String, Number, Boolean, List, Map, null)
 * @param traits person (or group) traits, for identify/group and Sensors {@code profile_*}
 * @param context the client's context (device, page, campaign, library, ip…)
 */
public record EventEnvelope(
    long offset,
    long sourceId,
    String messageId,
    String protocol,
    String type,
    String event,
    Instant timestamp,
    Instant receivedAt,
    List<Identifier> identifiers,
    LinkKind link,
    Identifier previous,
    Map<String, Object> properties,
    Map<String, Object> traits,
    Map<String, Object> context) {

  public EventEnvelope {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(link, "link");
    identifiers = List.copyOf(identifiers);
    properties = properties == null ? Map.of() : properties;
    traits = traits == null ? Map.of() : traits;
    context = context == null ? Map.of() : context;
  }

  /** The same envelope at its position in the log. */
  public EventEnvelope at(long logOffset) {
    return new EventEnvelope(
        logOffset, sourceId, messageId, protocol, type, event, timestamp, receivedAt, identifiers, link,
        previous, properties, traits, context);
  }
}
