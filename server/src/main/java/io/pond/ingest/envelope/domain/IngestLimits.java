package io.pond.ingest.envelope.domain;

import java.util.Optional;

/**
 * The size limits Segment publishes and Pond applies to every protocol: 32 KB per event, 500 KB per
 * request body (after decompression) and 2,500 events per batch.
 */
public record IngestLimits(int maxEventBytes, int maxBatchBytes, int maxBatchEvents) {

  public static final IngestLimits SEGMENT = new IngestLimits(32 * 1024, 500 * 1024, 2_500);

  /** A record over the per-event limit, or empty. */
  public Optional<Rejection> checkEvent(int bytes) {
    if (bytes > maxEventBytes) {
      return Optional.of(
          new Rejection(
              Rejection.TOO_LARGE, null, "the event is " + bytes + " bytes; at most " + maxEventBytes + " are accepted"));
    }
    return Optional.empty();
  }
}
