package io.pond.ingest.intake;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.envelope.domain.Rejection;
import tools.jackson.databind.JsonNode;

/** One record of a request after mapping: an envelope to store, or a refusal with the raw record. */
public sealed interface Parsed {

  /**
   * @param index the record's position in the request (0 for a single-event request)
   * @param raw the record as received, written to the dead-letter store only if a tracking plan
   *     blocks it
   */
  record Valid(int index, EventEnvelope envelope, JsonNode raw) implements Parsed {}

  record Refused(int index, Rejection rejection, String raw) implements Parsed {}

  int index();
}
