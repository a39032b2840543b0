package io.pond.ingest.intake;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.envelope.domain.Rejection;
import java.util.function.Supplier;

/** One record of a request after mapping: an envelope to store, or a refusal with the raw record. */
public sealed interface Parsed {

  /**
   * @param index the record's position in the request (0 for a single-event request)
   * @param raw the record as received (as the application's mapper writes it), made only if it is
   *     refused after all (tracking plan, size): PERF, most records never need it
   */
  record Valid(int index, EventEnvelope envelope, Supplier<String> raw) implements Parsed {}

  record Refused(int index, Rejection rejection, String raw) implements Parsed {}

  int index();
}
