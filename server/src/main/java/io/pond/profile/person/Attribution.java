package io.pond.profile.person;

import io.pond.commerce.OrderSummary;
import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.ResolvingIdentity;
import io.pond.ingest.EventEnvelope;
import io.pond.platform.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which person an order or an event belongs to. Identity resolves the same evidence on its own
 * (asynchronously); when profile comes first, it resolves that evidence itself, under the same
 * idempotency key identity uses, so whichever of the two is second is a replay that changes nothing
 * and answers the same person. Resolution runs outside the caller's transaction (suspended), so that
 * identity commits its own transaction while it holds its writer lock: its in-memory graph must never
 * hold a change that a rollback of the profile's transaction would take back, and the other writer
 * must see the evidence committed when it checks the idempotency key.
 */
@Component
public class Attribution {

  private final Persons persons;
  private final ResolvingIdentity identity;
  private final TransactionTemplate separate;

  Attribution(Persons persons, ResolvingIdentity identity, PlatformTransactionManager transactions) {
    this.persons = persons;
    this.identity = identity;
    this.separate = new TransactionTemplate(transactions);
    this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
  }

  /** The person of the first buyer identifier identity knows; else the person resolving them makes. */
  public Optional<Integer> personOf(OrderSummary order) {
    Optional<Integer> known = known(order.buyers());
    if (known.isPresent() || order.buyers().isEmpty()) {
      return known;
    }
    // the key identity's order listener uses for the same buyers (io.pond.identity.intake.OrderBuyers)
    String buyerSet = order.buyers().stream()
        .sorted(Comparator.comparing(Identifier::type).thenComparing(Identifier::scope).thenComparing(Identifier::value))
        .map(b -> b.type() + "/" + b.scope() + "/" + b.value())
        .collect(Collectors.joining("|"));
    String key = "order:" + order.orderId() + ":" + sha256(buyerSet).substring(0, 16);
    return resolve(new Evidence(order.buyers(), LinkKind.TOGETHER, "channel:" + order.channel(), order.placedAt(), key));
  }

  /** The person of an event's identifiers (resolved as identity's event consumer resolves them). */
  public Optional<Integer> personOf(EventEnvelope event) {
    List<Identifier> identifiers = new ArrayList<>(event.identifiers());
    if (event.previous() != null) {
      identifiers.add(event.previous());
    }
    if (identifiers.isEmpty()) {
      return Optional.empty();
    }
    // the key identity's event consumer uses (io.pond.identity.intake.EventEvidence)
    String key = "event:" + event.sourceId() + ":" + event.messageId();
    if (key.length() > Evidence.MAX_KEY_LENGTH) {
      key = "event:" + event.sourceId() + ":sha256:" + sha256(key);
    }
    LinkKind kind = switch (event.link()) {
      case TOGETHER -> LinkKind.TOGETHER;
      case ALIAS -> LinkKind.ALIAS;
      case SIGNUP -> LinkKind.SIGNUP;
      case BIND -> LinkKind.BIND;
      case UNBIND -> LinkKind.UNBIND;
    };
    if (kind == LinkKind.UNBIND) {
      return known(event.identifiers());
    }
    return resolve(new Evidence(identifiers, kind, "source:" + event.sourceId(), event.timestamp(), key));
  }

  /** The person of the first identifier identity knows, without resolving anything. */
  public Optional<Integer> known(List<Identifier> identifiers) {
    for (Identifier id : identifiers) {
      Optional<PersonId> p = persons.personOf(id);
      if (p.isPresent()) {
        return Optional.of(p.get().value());
      }
    }
    return Optional.empty();
  }

  private Optional<Integer> resolve(Evidence evidence) {
    return separate.execute(s -> identity.resolve(evidence)).person().map(PersonId::value);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
