package io.pond.segment.index;

import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventLogConsumer;
import io.pond.ingest.IdentityGrace;
import io.pond.platform.Identifier;
import io.pond.segment.expression.domain.Evaluator;
import io.pond.segment.index.domain.PersonIndex;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Counts behaviour from the event log: per person and day, every event under {@code *}, under its
 * name, and under {@code name|property=value} for each indexed property it carries. Runs in the
 * transaction that advances this consumer's offset, so each event counts once in the stored facts;
 * the bitmaps follow after the commit.
 *
 * <p>Which events: {@code track} by event name, {@code page} as {@code page_viewed}, {@code screen}
 * as {@code screen_viewed}; identify, alias and profile records are not behaviour. An event whose
 * identifiers have no person yet makes the batch retry (identity resolves on its own thread) for up to
 * {@code pond.segment.attribution-wait} after this consumer first met it ({@link IdentityGrace}); then
 * it is left out and counted in the log.
 */
@Component
class EventFacts implements EventLogConsumer {

  private static final Logger log = LoggerFactory.getLogger(EventFacts.class);
  private static final int MAX_VALUE_LENGTH = 100;

  private final Facts facts;
  private final SegmentIndex index;
  private final Persons persons;
  private final FactListeners presence;
  private final IdentityGrace grace;

  EventFacts(Facts facts, SegmentIndex index, Persons persons, FactListeners presence, Clock clock) {
    this.facts = facts;
    this.index = index;
    this.persons = persons;
    this.presence = presence;
    this.grace = new IdentityGrace(clock, index.properties().attributionWait());
  }

  @Override
  public String name() {
    return "segment";
  }

  /** The behaviour name of an event, or null when it is not behaviour. */
  static String behaviourName(EventEnvelope e) {
    return switch (e.type()) {
      case "track", "signup" -> e.event();
      case "page" -> "page_viewed";
      case "screen" -> "screen_viewed";
      default -> null;
    };
  }

  @Override
  public void accept(List<EventEnvelope> batch) {
    List<Facts.Increment> increments = new ArrayList<>();
    Set<Integer> touched = new LinkedHashSet<>();
    int oldest = index.today() - index.properties().retentionDays() + 1;
    int unattributed = 0;
    for (EventEnvelope e : batch) {
      String name = behaviourName(e);
      if (name == null || name.isBlank() || name.length() > 200) {
        continue;
      }
      Optional<Integer> person = personOf(e.identifiers());
      if (person.isEmpty()) {
        grace.notAttributed(e);
        unattributed++;
        continue;
      }
      grace.attributed(e);
      int day = index.epochDay(e.timestamp());
      if (day < oldest) {
        continue;
      }
      int p = person.get();
      touched.add(p);
      increments.add(new Facts.Increment(p, Facts.DID, PersonIndex.ANY_EVENT, day, 1));
      increments.add(new Facts.Increment(p, Facts.DID, name, day, 1));
      for (String property : index.properties().indexedProperties()) {
        Object value = e.properties().get(property);
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
          String text = value.toString();
          if (!text.isEmpty() && text.length() <= MAX_VALUE_LENGTH) {
            increments.add(new Facts.Increment(p, Facts.DID, Evaluator.behaviourKey(name, property, text), day, 1));
          }
        }
      }
    }
    if (unattributed > 0) {
      log.info("{} events left out of segments: no person for their identifiers", unattributed);
    }
    presence.refreshPresence(touched); // locks the persons, records them (touch) and their channel presence, batched
    facts.add(increments);
    index.afterCommit(i -> increments.forEach(x -> i.behaviour(x.person(), x.counted(), x.day(), x.times())));
  }

  private Optional<Integer> personOf(List<Identifier> identifiers) {
    for (Identifier id : identifiers) {
      Optional<PersonId> person = persons.personOf(id);
      if (person.isPresent()) {
        return Optional.of(person.get().value());
      }
    }
    return Optional.empty();
  }
}
