package io.pond.ingest.envelope.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * When an event happened, corrected for the client's clock: a device whose clock is off by an hour
 * sends both the event time and the send time off by an hour, so the difference between them is
 * trusted and Pond's receive time anchors it (Segment's rule).
 */
public final class ClockSkew {

  private ClockSkew() {}

  /**
   * @param original when the client says the event happened (may be null)
   * @param sentAt when the client says it sent the request (may be null)
   * @param receivedAt when Pond received it
   * @return {@code receivedAt − (sentAt − original)} when both are known; else {@code original}, or
   *     {@code receivedAt} when the client gave no time
   */
  public static Instant corrected(Instant original, Instant sentAt, Instant receivedAt) {
    if (original == null) {
      return receivedAt;
    }
    if (sentAt == null) {
      return original;
    }
    return receivedAt.minus(Duration.between(original, sentAt));
  }
}
