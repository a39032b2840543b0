package io.pond.ingest;

import io.pond.platform.Identifier;
import java.util.Collection;

/**
 * Data-subject erasure in the event log (PII erasure, issue #5). The events that carry any of a
 * person's identifiers keep what aggregates need (type, event name, times, source, the non-personal
 * identifiers) and lose the rest: their properties, traits and context are emptied, and every value
 * of a personal identifier type among their identifiers is replaced by a tombstone naming the
 * pseudonym. Dead letters whose raw record holds one of the personal values are replaced by a note.
 * The raw frames of the log file are gone once this returns (the log's segment is rolled and the
 * loaded segment deleted). Idempotent.
 */
public interface EventErasure {

  /**
   * @param identifiers every identifier of the person, values as identity holds them; events carrying
   *     any of them (exactly, as actor or previous id) are scrubbed
   * @param personal the person's personal-data identifiers (phones, e-mails, …), a subset: their types
   *     are the ones whose values are replaced in the scrubbed events, and their values are looked for
   *     in dead letters
   */
  Result erase(Collection<Identifier> identifiers, Collection<Identifier> personal, String pseudonym);

  record Result(long events, long deadLetters) {}
}
