package io.pond.ingest;

import io.pond.platform.Identifier;
import java.util.Collection;
import java.util.List;

/**
 * The one synchronous read of the event log that other modules may use: events that carry any of
 * some identifiers (as the actor or as the previous id of a link), newest first. Identity uses it for
 * a person's events, over every identifier the person holds.
 */
public interface EventsByIdentifier {

  /** One page of events; {@code total} counts every matching event. */
  record EventPage(List<EventEnvelope> items, int page, int size, long total) {}

  /**
   * @param identifiers matched on (type, scope, value) as the events carried them, a phone in each of
   *     its common spellings ({@link io.pond.platform.PhoneNumbers#withSpellings}); a global
   *     identifier's scope is empty
   */
  EventPage eventsCarrying(Collection<Identifier> identifiers, int page, int size);
}
