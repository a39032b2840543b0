package io.pond.profile.privacy;

import io.pond.commerce.OrderLookup;
import io.pond.commerce.OrderSummary;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventHistory;
import io.pond.platform.Identifier;
import io.pond.platform.audit.AuditLog;
import io.pond.profile.consent.Consents;
import io.pond.profile.consent.domain.ConsentDecision;
import io.pond.profile.metrics.Metrics;
import io.pond.profile.metrics.domain.PersonMetrics;
import io.pond.profile.timeline.Points;
import io.pond.profile.trait.Traits;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Data-subject export: everything Pond holds about a person as one JSON document — identifiers (in
 * clear), traits and their history, consents and their history, metrics, orders with lines, refunds
 * and buyer identifiers, points entries, and events (the newest {@value #MAX_EVENTS}, with the total).
 * An erased person's export shows the pseudonym and what is left. Audited.
 */
@Component
public class DataSubjectExport {

  public static final int MAX_EVENTS = 10_000;
  public static final int MAX_ROWS = 100_000;

  private final Persons persons;
  private final Traits traits;
  private final Consents consents;
  private final Metrics metrics;
  private final OrderLookup orders;
  private final Points points;
  private final EventHistory events;
  private final Erasures erasures;
  private final AuditLog audit;
  private final TransactionTemplate tx;
  private final Clock clock;

  DataSubjectExport(Persons persons, Traits traits, Consents consents, Metrics metrics, OrderLookup orders, Points points,
      EventHistory events, Erasures erasures, AuditLog audit, TransactionTemplate tx, Clock clock) {
    this.persons = persons;
    this.traits = traits;
    this.consents = consents;
    this.metrics = metrics;
    this.orders = orders;
    this.points = points;
    this.events = events;
    this.erasures = erasures;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
  }

  public record Document(
      int personId,
      Instant exportedAt,
      String pseudonym,
      Instant erasedAt,
      List<Identifier> identifiers,
      List<Traits.TraitView> traits,
      List<Traits.ChangeView> traitHistory,
      Map<String, Boolean> consents,
      List<ConsentDecision> consentHistory,
      PersonMetrics metrics,
      List<OrderSummary> orders,
      List<Points.PointsView> points,
      long eventCount,
      List<EventEnvelope> events) {}

  public Document export(int person, String actor) {
    List<Identifier> ids = persons.identifiersOf(PersonId.of(person));
    var erasure = erasures.of(person);
    Map<String, Boolean> current = new java.util.LinkedHashMap<>();
    Consents.granted(consents.current(person)).forEach((p, g) -> current.put(p.wire(), g));
    List<OrderSummary> bought = orders.findAll(metrics.orderIdsOf(person)).stream()
        .sorted(Comparator.comparing(OrderSummary::placedAt).thenComparingLong(OrderSummary::orderId)).toList();
    Document doc = new Document(person, clock.instant(), erasure.map(Erasures.Erasure::pseudonym).orElse(null),
        erasure.map(Erasures.Erasure::erasedAt).orElse(null), ids, traits.list(person, true),
        traits.changes(person, MAX_ROWS, true), current, consents.history(person), metrics.of(person), bought,
        points.latest(person, MAX_ROWS), events.count(ids), events.latest(ids, MAX_EVENTS));
    tx.executeWithoutResult(s -> audit.record(actor, "profile.person.exported", "person " + person,
        doc.identifiers().size() + " identifiers, " + doc.orders().size() + " orders, " + doc.events().size() + " events"));
    return doc;
  }
}
