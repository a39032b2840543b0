package io.pond.identity.graph;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.LinkingIdentifiers;
import io.pond.identity.PersonId;
import io.pond.identity.Resolution;
import io.pond.identity.types.domain.IdentifierType;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Links identifiers to a known person by resolving them together with the person's strongest
 * identifier (strong before weak, then by type priority) as one piece of {@link LinkKind#BIND}
 * evidence, so that every guard of ordinary resolution applies and the link is recorded, explained
 * and can be split like any other.
 */
@Component
class PersonLinks implements LinkingIdentifiers {

  private final IdentityGraphService graph;

  PersonLinks(IdentityGraphService graph) {
    this.graph = graph;
  }

  @Override
  public Resolution link(PersonId person, List<Identifier> identifiers, String source, Instant at, String idempotencyKey) {
    Optional<PersonId> current = graph.current(person);
    if (current.isEmpty()) {
      return new Resolution(Optional.empty(), new Resolution.Outcome.Rejected("unknown person " + person), List.of());
    }
    Optional<Identifier> anchor = graph.identifiersOf(current.get()).stream().max(Comparator.comparing(this::rank));
    if (anchor.isEmpty()) {
      return new Resolution(Optional.empty(), new Resolution.Outcome.Rejected("person " + person + " has no identifier"), List.of());
    }
    List<Identifier> together = new ArrayList<>();
    together.add(anchor.get());
    together.addAll(identifiers);
    return graph.resolve(new Evidence(together, LinkKind.BIND, source, at, idempotencyKey));
  }

  /** Strong identifiers first, then higher priority; types no longer registered last. */
  private long rank(Identifier identifier) {
    try {
      IdentifierType type = graph.types().get(identifier.type());
      return (type.strong() ? 1_000_000L : 0L) + type.priority();
    } catch (RuntimeException unknownType) {
      return -1;
    }
  }
}
