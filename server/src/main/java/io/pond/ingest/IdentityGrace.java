package io.pond.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For an {@link EventLogConsumer} that needs identity to have attributed an event first: identity reads
 * the same log on its own thread and may not have reached the event yet. The batch is then offered
 * again ({@link EventLogConsumer.NotYet}) for up to {@code grace} after this consumer first met the
 * event; after that the event is given up (only junk identifiers, or identity stuck).
 *
 * <p>The grace counts from the first meeting, not from the event's arrival: in a bulk load (the demo,
 * a backfill) every consumer reaches events long after they arrived, and an arrival-based grace would
 * drop exactly the events identity had not reached yet — a different set on every run.
 */
public final class IdentityGrace {

  private final Clock clock;
  private final Duration grace;
  private final Map<Long, Instant> waiting = new ConcurrentHashMap<>();

  public IdentityGrace(Clock clock, Duration grace) {
    this.clock = clock;
    this.grace = grace;
  }

  /**
   * The event has no person yet: throws {@link EventLogConsumer.NotYet} while it is within its grace,
   * returns (the caller leaves the event out) once the grace is over.
   */
  public void notAttributed(EventEnvelope event) {
    Instant now = clock.instant();
    Instant first = waiting.computeIfAbsent(event.offset(), k -> now);
    if (Duration.between(first, now).compareTo(grace) < 0) {
      throw new EventLogConsumer.NotYet("event " + event.offset() + " is not attributed by identity yet");
    }
    waiting.remove(event.offset());
  }

  /** The event has its person (perhaps after waiting). */
  public void attributed(EventEnvelope event) {
    if (!waiting.isEmpty()) {
      waiting.remove(event.offset());
    }
  }
}
