package io.pond.ingest.intake;

import io.pond.ingest.envelope.domain.IngestLimits;
import io.pond.ingest.envelope.domain.Rejection;
import io.pond.ingest.log.DeadLetter;
import io.pond.ingest.log.EncodedEvent;
import io.pond.ingest.log.EventLog;
import io.pond.ingest.log.Receipt;
import io.pond.ingest.log.Submission;
import io.pond.ingest.plan.TrackingPlans;
import io.pond.ingest.plan.ViolationCounts;
import io.pond.ingest.plan.domain.PlanViolation;
import io.pond.ingest.plan.domain.TrackingPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The protocol-independent half of every ingestion request: rate limit, the source's tracking plan,
 * then one commit of the valid envelopes and the refused records (as dead letters) to the event log.
 */
@Component
public class Intake {

  private final EventLog eventLog;
  private final RateLimiter rateLimiter;
  private final TrackingPlans plans;
  private final ViolationCounts violations;
  private final JsonFields fields;
  private final JsonMapper json;
  private final IngestLimits limits = IngestLimits.SEGMENT;

  Intake(EventLog eventLog, RateLimiter rateLimiter, TrackingPlans plans, ViolationCounts violations, JsonMapper json) {
    this.eventLog = eventLog;
    this.rateLimiter = rateLimiter;
    this.plans = plans;
    this.violations = violations;
    this.fields = new JsonFields(json);
    this.json = json;
  }

  /** What became of a request's records. */
  public record Result(int accepted, int deduplicated, List<Parsed.Refused> rejected) {}

  /**
   * Stores a request's records; returns once they are durable.
   *
   * @param dryRun validate only (Sensors {@code Dry-Run: true}): nothing is written or counted
   */
  public Result take(Source source, String protocol, Instant receivedAt, List<Parsed> records, boolean dryRun) {
    rateLimiter.acquire(source.keyId(), Math.max(1, records.size()));
    List<Parsed> screened = screen(source, records, !dryRun);
    List<EncodedEvent> events = new ArrayList<>(screened.size());
    List<DeadLetter> deadLetters = new ArrayList<>();
    List<Parsed.Refused> refused = new ArrayList<>();
    for (Parsed p : screened) {
      if (p instanceof Parsed.Valid v) {
        // PERF: the JSON columns are written here, on the request thread, not by the log's single
        // writer; their size is the event's size for the per-event limit.
        EncodedEvent encoded = eventLog.encode(v.envelope());
        Optional<Rejection> tooLarge = limits.checkEvent(encoded.bytes());
        if (tooLarge.isEmpty()) {
          events.add(encoded);
          continue;
        }
        p = new Parsed.Refused(v.index(), tooLarge.get(), v.raw().get());
      }
      Parsed.Refused r = (Parsed.Refused) p;
      refused.add(r);
      deadLetters.add(eventLog.deadLetter(source.id(), protocol, receivedAt, r.rejection(), r.raw()));
    }
    if (dryRun) {
      return new Result(events.size(), 0, refused);
    }
    Receipt receipt = eventLog.commit(new Submission(source.id(), source.name(), events, deadLetters));
    return new Result(receipt.accepted(), receipt.deduplicated(), refused);
  }

  /** The first record {@link #take} would refuse (including by the tracking plan), counting nothing. */
  public Optional<Parsed.Refused> firstRefusal(Source source, List<Parsed> records) {
    return screen(source, records, false).stream()
        .filter(p -> p instanceof Parsed.Refused)
        .map(p -> (Parsed.Refused) p)
        .findFirst();
  }

  /**
   * Checks track records against the source's tracking plan: violations are counted, and in block
   * mode the violating records become refusals (dead letters) while the others are kept.
   */
  private List<Parsed> screen(Source source, List<Parsed> records, boolean count) {
    TrackingPlan plan = plans.planOf(source.id());
    if (plan == null) {
      return records;
    }
    List<Parsed> out = new ArrayList<>(records.size());
    for (Parsed p : records) {
      if (p instanceof Parsed.Valid v && "track".equals(v.envelope().type()) && v.envelope().event() != null) {
        List<PlanViolation> found = plan.check(v.envelope().event(), v.envelope().properties());
        if (!found.isEmpty()) {
          if (count) {
            violations.record(source.id(), source.name(), plan.events().containsKey(v.envelope().event()), found);
          }
          if (plan.mode() == TrackingPlan.Mode.BLOCK) {
            out.add(new Parsed.Refused(v.index(), rejection(found), v.raw().get()));
            continue;
          }
        }
      }
      out.add(p);
    }
    return out;
  }

  private static Rejection rejection(List<PlanViolation> found) {
    PlanViolation first = found.getFirst();
    String detail = first.detail() + (found.size() > 1 ? " (and " + (found.size() - 1) + " more violations)" : "");
    return new Rejection(Rejection.TRACKING_PLAN, first.field(), detail);
  }
}
