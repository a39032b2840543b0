package io.pond.ingest;

import io.pond.platform.Identifier;
import java.util.Collection;
import java.util.List;

/**
 * The narrow read side of the event log for other modules (a person's timeline and data-subject
 * export in profile): the events that carry any of a set of identifiers, as actor or as the previous
 * id of a link. Identifiers match on (type, scope, value) exactly as the events carried them.
 */
public interface EventHistory {

  /** The newest {@code limit} events, newest first (by event time, then log offset). */
  List<EventEnvelope> latest(Collection<Identifier> identifiers, int limit);

  /** How many events carry any of the identifiers. */
  long count(Collection<Identifier> identifiers);
}
