package io.pond.ingest.log;

import io.pond.ingest.EventEnvelope;
import java.util.List;

/**
 * What one request hands to the event log: its valid events and its refused records, committed
 * together. {@code rejectedUnstored} counts refusals answered to the client without a dead letter
 * (a single-event request refused as a whole), so that statistics still see them.
 */
public record Submission(
    long sourceId, String sourceName, List<EventEnvelope> events, List<DeadLetter> deadLetters) {

  public Submission {
    events = List.copyOf(events);
    deadLetters = List.copyOf(deadLetters);
  }
}
