package io.pond.profile.person;

import io.pond.commerce.OrderSummary;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.ingest.EventEnvelope;
import io.pond.platform.Identifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which person an order or an event belongs to: the person of its first identifier that OneID knows.
 * Profile only reads identity ({@link Persons}, from memory); identity resolves orders and events on its
 * own, asynchronously, so an order or event can arrive here before its identifiers are known. Orders
 * wait for their buyers a little ({@link #personsOf(List, Duration)}) and are retried by
 * {@code Metrics#attributePending} after that; events by the trait consumer's retry.
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

  /**
   * The person of each order whose buyers OneID knows, waiting up to {@code wait} in all for buyers it
   * does not know yet: identity resolves the buyers of an order event in its own listener, next to
   * profile's. Orders without buyers, or whose buyers are still unknown by then, are left out.
   */
  public Map<Long, Integer> personsOf(List<OrderSummary> orders, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    Map<Long, Integer> out = new HashMap<>();
    for (OrderSummary o : orders) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      persons.awaitPersonOf(o.buyers(), left).ifPresent(p -> out.put(o.orderId(), p.value()));
    }
    return out;
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
