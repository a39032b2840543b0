package io.pond.ingest.intake;

import io.pond.ingest.log.DeadLetter;
import io.pond.ingest.log.EventLog;
import io.pond.ingest.log.Receipt;
import io.pond.ingest.log.Submission;
import io.pond.ingest.EventEnvelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The protocol-independent half of every ingestion request: rate limit, then one commit of the
 * valid envelopes and the refused records (as dead letters) to the event log.
 */
@Component
public class Intake {

  private final EventLog eventLog;
  private final RateLimiter rateLimiter;

  Intake(EventLog eventLog, RateLimiter rateLimiter) {
    this.eventLog = eventLog;
    this.rateLimiter = rateLimiter;
  }

  /** What became of a request's records. */
  public record Result(int accepted, int deduplicated, List<Parsed.Refused> rejected) {}

  /**
   * Stores a request's records; returns once they are durable.
   *
   * @param dryRun validate only (Sensors {@code Dry-Run: true}): nothing is written
   */
  public Result take(Source source, String protocol, Instant receivedAt, List<Parsed> records, boolean dryRun) {
    rateLimiter.acquire(source.keyId(), Math.max(1, records.size()));
    List<EventEnvelope> events = new ArrayList<>();
    List<DeadLetter> deadLetters = new ArrayList<>();
    List<Parsed.Refused> refused = new ArrayList<>();
    for (Parsed p : records) {
      switch (p) {
        case Parsed.Valid v -> events.add(v.envelope());
        case Parsed.Refused r -> {
          refused.add(r);
          deadLetters.add(new DeadLetter(source.id(), protocol, receivedAt, r.rejection(), r.raw()));
        }
      }
    }
    if (dryRun) {
      return new Result(events.size(), 0, refused);
    }
    Receipt receipt = eventLog.commit(new Submission(source.id(), source.name(), events, deadLetters));
    return new Result(receipt.accepted(), receipt.deduplicated(), refused);
  }
}
