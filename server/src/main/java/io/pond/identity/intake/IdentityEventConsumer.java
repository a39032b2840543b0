package io.pond.identity.intake;

import io.pond.identity.Evidence;
import io.pond.identity.ResolvingIdentity;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventLogConsumer;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Feeds the event log to OneID: every event's identifiers become evidence, resolved in log order, in
 * the same transaction that advances this consumer's offset (so a crash replays, and the idempotency
 * key of each event makes the replay change nothing).
 */
@Component
class IdentityEventConsumer implements EventLogConsumer {

  private final ResolvingIdentity identity;

  IdentityEventConsumer(ResolvingIdentity identity) {
    this.identity = identity;
  }

  @Override
  public String name() {
    return "identity";
  }

  @Override
  public void accept(List<EventEnvelope> batch) {
    List<Evidence> evidence = batch.stream().map(EventEvidence::of).flatMap(Optional::stream).toList();
    if (!evidence.isEmpty()) {
      identity.resolveAll(evidence);
    }
  }
}
