package io.pond.ingest.log;

import io.pond.ingest.envelope.domain.Rejection;
import java.time.Instant;

/** A record refused inside an accepted request, kept with its reason and the raw record. */
public record DeadLetter(long sourceId, String protocol, Instant receivedAt, Rejection rejection, String raw) {}
