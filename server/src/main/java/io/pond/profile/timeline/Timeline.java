package io.pond.profile.timeline;

import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventHistory;
import io.pond.messaging.SentMessages;
import io.pond.platform.Identifier;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.DataScope;
import io.pond.profile.consent.Consents;
import io.pond.profile.metrics.Metrics;
import io.pond.profile.trait.Traits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * A person's timeline: events (from the event log, by the person's identifiers), orders, refunds,
 * points, messages sent to the person (from the outbox, by its identifiers), consent decisions and trait
 * changes, merged newest first and paged. Each source is read
 * newest first up to the end of the requested page and the union is cut to the page, so a page costs
 * at most {@code (page + 1) × size} rows per source; pages deeper than {@value #MAX_DEPTH} items are
 * refused (the export has everything).
 */
@Component
public class Timeline {

  public static final int MAX_DEPTH = 5000;
  public static final int MAX_SIZE = 200;
  public static final Set<String> KINDS = Set.of("event", "order", "refund", "points", "message", "consent", "trait");

  private final Persons persons;
  private final EventHistory events;
  private final Metrics metrics;
  private final Points points;
  private final Consents consents;
  private final Traits traits;
  private final SentMessages messages;

  Timeline(Persons persons, EventHistory events, Metrics metrics, Points points, Consents consents, Traits traits,
      SentMessages messages) {
    this.messages = messages;
    this.persons = persons;
    this.events = events;
    this.metrics = metrics;
    this.points = points;
    this.consents = consents;
    this.traits = traits;
  }

  /** One entry: when, what kind, a one-line summary and the details of its kind. */
  public record Item(Instant at, String kind, String summary, Map<String, Object> detail) {}

  public record Page(int personId, int page, int size, boolean more, List<Item> items) {}

  public Page page(int person, int page, int size, Set<String> kinds, DataScope scope, boolean revealPii) {
    if (size < 1 || size > MAX_SIZE) {
      throw PondException.invalid("size", "must be between 1 and " + MAX_SIZE);
    }
    if (page < 0) {
      throw PondException.invalid("page", "must not be negative");
    }
    long depthLong = (long) (page + 1) * size;
    if (depthLong > MAX_DEPTH) {
      throw PondException.invalid("page", "the timeline pages at most " + MAX_DEPTH + " items deep; use the export for more");
    }
    int depth = (int) depthLong + 1; // one more tells whether there is a next page
    List<Item> all = new ArrayList<>();
    List<Identifier> ids = kinds.contains("event") || kinds.contains("message")
        ? persons.identifiersOf(PersonId.of(person)) : List.of();
    if (kinds.contains("event")) {
      for (EventEnvelope e : events.latest(ids, depth)) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", e.type());
        d.put("event", e.event());
        d.put("protocol", e.protocol());
        d.put("sourceId", e.sourceId());
        d.put("messageId", e.messageId());
        all.add(new Item(e.timestamp(), "event", e.event() != null ? e.type() + " " + e.event() : e.type(), d));
      }
    }
    if (kinds.contains("order")) {
      for (Metrics.OrderView o : metrics.latestOrders(person, depth)) {
        if (!scope.permits(o.channel())) {
          continue;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("orderId", o.orderId());
        d.put("channel", o.channel());
        d.put("shopId", o.shopId());
        d.put("platformOrderId", o.platformOrderId());
        d.put("status", o.status());
        d.put("paidFen", o.paidFen());
        d.put("refundedFen", o.refundedFen());
        d.put("paidAt", o.paidAt());
        all.add(new Item(o.placedAt(), "order", o.channel() + " order " + o.platformOrderId() + " " + o.status(), d));
      }
    }
    if (kinds.contains("refund")) {
      for (Metrics.RefundView r : metrics.latestRefunds(person, depth)) {
        if (!scope.permits(r.channel())) {
          continue;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("orderId", r.orderId());
        d.put("channel", r.channel());
        d.put("refundId", r.refundId());
        d.put("state", r.state());
        d.put("amountFen", r.amountFen());
        all.add(new Item(r.at(), "refund", "refund " + r.refundId() + " " + r.state() + " " + r.amountFen() + " fen", d));
      }
    }
    if (kinds.contains("points")) {
      for (Points.PointsView p : points.latest(person, depth)) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("program", p.program());
        d.put("kind", p.kind());
        d.put("points", p.points());
        d.put("detail", p.detail());
        all.add(new Item(p.at(), "points", p.kind().equals("tier") ? "tier " + p.detail() : p.kind() + " " + p.points(), d));
      }
    }
    if (kinds.contains("message")) {
      for (SentMessages.SentMessage m : messages.latestTo(ids, depth)) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("messageId", m.id());
        d.put("channel", m.channel());
        d.put("purpose", m.purpose());
        d.put("recipient", m.recipientMasked());
        d.put("status", m.status());
        d.put("body", m.body());
        d.put("sentAt", m.sentAt());
        all.add(new Item(m.createdAt(), "message", m.channel() + " " + m.purpose() + " " + m.status(), d));
      }
    }
    if (kinds.contains("consent")) {
      consents.latest(person, depth).forEach(c -> {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("purpose", c.purpose().wire());
        d.put("granted", c.granted());
        d.put("source", c.source());
        d.put("actor", c.actor());
        d.put("note", c.note());
        all.add(new Item(c.occurredAt(), "consent", c.purpose().wire() + (c.granted() ? " granted" : " withdrawn"), d));
      });
    }
    if (kinds.contains("trait")) {
      traits.changes(person, depth, revealPii).forEach(t -> {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", t.name());
        d.put("value", t.value());
        d.put("removed", t.removed());
        d.put("source", t.source());
        d.put("actor", t.actor());
        d.put("observedAt", t.observedAt());
        all.add(new Item(t.recordedAt(), "trait", t.removed() ? t.name() + " removed" : t.name() + " set", d));
      });
    }
    all.sort(Comparator.comparing(Item::at).reversed().thenComparing(Item::kind));
    int from = page * size;
    List<Item> items = from >= all.size() ? List.of() : all.subList(from, Math.min(all.size(), from + size));
    return new Page(person, page, size, all.size() > from + size, List.copyOf(items));
  }
}
