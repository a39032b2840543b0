package io.pond.profile.trait;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventLogConsumer;
import io.pond.ingest.IdentityGrace;
import io.pond.platform.errors.PondException;
import io.pond.profile.person.Attribution;
import io.pond.profile.trait.domain.TraitWrite;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Traits from the event log, with source {@code event} and the event's time: Segment {@code identify}
 * and Sensors {@code profile_set} set them, {@code profile_set_once} sets those not set yet,
 * {@code profile_unset} removes the named ones, {@code profile_delete} removes all. Objects and lists
 * are kept as JSON text. A trait the event gets wrong (a bad name, a value over 2,000 characters) is
 * skipped and logged; the others of the event apply. Runs in the transaction that advances this
 * consumer's offset, so a replay after a crash applies nothing twice (a write that is not newer than
 * what it set changes nothing).
 */
@Component
class TraitEventConsumer implements EventLogConsumer {

  static final String SOURCE = "event";
  private static final Logger log = LoggerFactory.getLogger(TraitEventConsumer.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static final Duration IDENTITY_GRACE = Duration.ofSeconds(60);

  private final Traits traits;
  private final Attribution attribution;
  private final IdentityGrace grace;

  TraitEventConsumer(Traits traits, Attribution attribution, Clock clock) {
    this.traits = traits;
    this.attribution = attribution;
    this.grace = new IdentityGrace(clock, IDENTITY_GRACE);
  }

  @Override
  public String name() {
    return "profile-traits";
  }

  @Override
  public void accept(List<EventEnvelope> batch) {
    for (EventEnvelope e : batch) {
      boolean identify = e.type().equals("identify");
      boolean sensors = e.type().startsWith("profile_");
      if ((!identify && !sensors) || (e.traits().isEmpty() && !e.type().equals("profile_delete"))) {
        continue;
      }
      Optional<Integer> person = attribution.personOf(e);
      if (person.isEmpty()) {
        waitForIdentity(e);
        continue;
      }
      grace.attributed(e);
      String actor = "source:" + e.sourceId();
      switch (e.type()) {
        case "identify", "profile_set" -> traits.write(person.get(), writes(e, false), actor);
        case "profile_set_once" -> traits.writeOnce(person.get(), writes(e, false), actor);
        case "profile_unset" -> traits.write(person.get(), writes(e, true), actor);
        case "profile_delete" -> traits.write(person.get(),
            traits.list(person.get(), true).stream()
                .map(t -> new TraitWrite(t.name(), null, SOURCE, e.timestamp())).toList(), actor);
        default -> { } // profile_append / profile_increment: list and counter traits are not kept
      }
    }
  }

  /**
   * Identity may not have reached this event yet: the batch is offered again (its writes roll back and
   * are redone) for up to {@link #IDENTITY_GRACE}; an event identity never attributes (only junk
   * identifiers) is then skipped.
   */
  private void waitForIdentity(EventEnvelope e) {
    if (e.identifiers().isEmpty() && e.previous() == null) {
      return;
    }
    grace.notAttributed(e);
    log.warn("Event {} of source {}: no person holds its identifiers; its traits are skipped", e.messageId(), e.sourceId());
  }

  private static List<TraitWrite> writes(EventEnvelope e, boolean removal) {
    List<TraitWrite> out = new ArrayList<>();
    for (Map.Entry<String, Object> t : e.traits().entrySet()) {
      String value = removal ? null : text(t.getValue());
      try {
        Traits.validate("traits." + t.getKey(), t.getKey(), value);
        out.add(new TraitWrite(t.getKey(), value, SOURCE, e.timestamp()));
      } catch (PondException bad) {
        log.warn("Event {} of source {}: trait skipped: {}", e.messageId(), e.sourceId(), bad.getMessage());
      }
    }
    return out;
  }

  private static String text(Object value) {
    return switch (value) {
      case null -> null;
      case String s -> s;
      case Number n -> n.toString();
      case Boolean b -> b.toString();
      default -> JSON.writeValueAsString(value);
    };
  }
}
