package io.pond.ingest.intake;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.envelope.domain.Rejection;

/** One record of a request after mapping: an envelope to store, or a refusal with the raw record. */
public sealed interface Parsed {

  /** @param index the record's position in the request (0 for a single-event request) */
  record Valid(int index, EventEnvelope envelope) implements Parsed {}

  record Refused(int index, Rejection rejection, String raw) implements Parsed {}

  int index();
}
