package io.pond.profile.person;

import io.pond.commerce.OrderSummary;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.ingest.EventEnvelope;
import io.pond.platform.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which person an order or an event belongs to: the person of its first identifier that OneID knows.
 * Profile only reads identity ({@link Persons}, from memory); identity resolves orders and events on its
 * own, asynchronously, so an order or event can arrive here before its identifiers are known. Callers
 * come back for those: orders are retried by {@code Metrics#attributePending}, events by the trait
 * consumer's retry.
 */
@Component
public class Attribution {

  private final Persons persons;

  Attribution(Persons persons) {
    this.persons = persons;
  }

  public Optional<Integer> personOf(OrderSummary order) {
    return known(order.buyers());
  }

  public Optional<Integer> personOf(EventEnvelope event) {
    List<Identifier> identifiers = new ArrayList<>(event.identifiers());
    if (event.previous() != null) {
      identifiers.add(event.previous());
    }
    return known(identifiers);
  }

  /** The person of the first identifier identity knows. */
  public Optional<Integer> known(List<Identifier> identifiers) {
    for (Identifier id : identifiers) {
      Optional<PersonId> p = persons.personOf(id);
      if (p.isPresent()) {
        return Optional.of(p.get().value());
      }
    }
    return Optional.empty();
  }
}
