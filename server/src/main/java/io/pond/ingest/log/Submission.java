package io.pond.ingest.log;

import java.util.List;

/**
 * What one request hands to the event log: its valid events and its refused records (as dead
 * letters), committed together in one transaction.
 */
public record Submission(
    long sourceId, String sourceName, List<EncodedEvent> events, List<DeadLetter> deadLetters) {

  public Submission {
    events = List.copyOf(events);
    deadLetters = List.copyOf(deadLetters);
  }
}
