package io.pond.profile.privacy;

import io.pond.commerce.OrderContactErasure;
import io.pond.identity.IdentifierErasure;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.ingest.EventErasure;
import io.pond.messaging.SentMessages;
import io.pond.platform.Identifier;
import io.pond.platform.audit.AuditLog;
import io.pond.profile.consent.Consents;
import io.pond.profile.consent.domain.ConsentDecision;
import io.pond.profile.consent.domain.Purpose;
import io.pond.profile.metrics.Metrics;
import io.pond.profile.person.PersonLocks;
import io.pond.profile.person.ProfileEvents;
import io.pond.profile.trait.Traits;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Data-subject erasure (the right to be forgotten). What goes: every trait and its history (decrypted
 * values included), the personal values of the person's identifiers in identity (phones, e-mails),
 * the contact data of the person's orders and order dead letters in commerce (raw payloads, phone/e-mail
 * buyer ids), the raw events that carry the person's identifiers (properties, traits, context), and the
 * recipients and bodies of the messages sent to the person. What
 * stays, under a pseudonym: the person id and its non-personal identifiers, orders' amounts and lines,
 * metrics, the points ledger, the consent history (proof of what was agreed), plus a withdrawal of
 * every purpose recorded by the erasure. Audited.
 *
 * <p>The events are scrubbed first (they are found by the identifiers identity still holds in clear);
 * then identity is erased, in its own transaction (it reloads its in-memory graph); then commerce
 * and profile in one transaction. Running an erasure again is harmless and finishes one that failed
 * half-way; the pseudonym stays the same.
 */
@Component
public class Erasures {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final IdentifierErasure identity;
  private final OrderContactErasure orders;
  private final Persons persons;
  private final EventErasure events;
  private final SentMessages messages;
  private final Traits traits;
  private final Consents consents;
  private final Metrics metrics;
  private final PersonLocks locks;
  private final ProfileEvents profileEvents;
  private final AuditLog audit;
  private final TransactionTemplate tx;
  private final Clock clock;

  Erasures(JdbcClient jdbc, IdentifierErasure identity, OrderContactErasure orders, Persons persons, EventErasure events,
      SentMessages messages,
      Traits traits, Consents consents, Metrics metrics, PersonLocks locks, ProfileEvents profileEvents, AuditLog audit,
      TransactionTemplate tx, Clock clock) {
    this.jdbc = jdbc;
    this.identity = identity;
    this.orders = orders;
    this.persons = persons;
    this.events = events;
    this.messages = messages;
    this.traits = traits;
    this.consents = consents;
    this.metrics = metrics;
    this.locks = locks;
    this.profileEvents = profileEvents;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
  }

  public record Erasure(int personId, String pseudonym, Instant erasedAt, String erasedBy, int identifiersErased,
      int ordersScrubbed, int traitsErased, long eventsScrubbed) {}

  /** The erasure record of a person, if it was erased. */
  public Optional<Erasure> of(int person) {
    return jdbc.sql("SELECT pseudonym, erased_at, erased_by FROM profile_erasure WHERE person_id = ?").param(person)
        .query((rs, n) -> new Erasure(person, rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), 0, 0, 0, 0))
        .optional();
  }

  public Erasure erase(int person, String reason, String actor) {
    String pseudonym = of(person).map(Erasure::pseudonym)
        .orElseGet(() -> "anon-" + HexFormat.of().formatHex(bytes()));
    // the events first: they are found by the identifiers identity still holds in clear
    List<Identifier> personal = identity.personalIdentifiersOf(PersonId.of(person));
    List<Identifier> all = new ArrayList<>(persons.identifiersOf(PersonId.of(person)));
    all.addAll(personal);
    EventErasure.Result scrubbedEvents = events.erase(all, personal, pseudonym);
    int identifiers = identity.erasePersonalIdentifiers(PersonId.of(person), pseudonym, actor);
    Instant now = clock.instant();
    return tx.execute(s -> {
      locks.lock(person);
      List<Long> orderIds = metrics.orderIdsOf(person);
      int scrubbed = orders.eraseContacts(orderIds, pseudonym);
      orders.eraseDeadLetters(personal.stream().map(Identifier::value).toList(), pseudonym);
      messages.erase(personal, pseudonym);
      List<String> erasedTraits = traits.eraseAll(person);
      Map<Purpose, ConsentDecision> before = consents.current(person);
      for (Purpose p : Purpose.values()) {
        ConsentDecision d = before.get(p);
        if (d == null || d.granted()) {
          jdbc.sql("INSERT INTO profile_consent_event (person_id, origin_person_id, purpose, granted, source, actor, note,"
                  + " occurred_at, recorded_at) VALUES (?, ?, ?, FALSE, 'erasure', ?, ?, ?, ?)")
              .params(person, person, p.wire(), actor, "data-subject erasure", Timestamp.from(now), Timestamp.from(now))
              .update();
        }
      }
      Map<String, Boolean> consentChanges = consents.refresh(person, before);
      jdbc.sql("INSERT INTO profile_erasure (person_id, pseudonym, erased_at, erased_by, reason) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT DO NOTHING")
          .params(person, pseudonym, Timestamp.from(now), actor, reason == null ? null : reason.length() > 500
              ? reason.substring(0, 500) : reason)
          .update();
      Map<String, String> traitChanges = new LinkedHashMap<>();
      erasedTraits.forEach(t -> traitChanges.put(t, null));
      profileEvents.changed(person, traitChanges, null, consentChanges);
      audit.record(actor, "profile.person.erased", "person " + person,
          "pseudonym " + pseudonym + "; " + identifiers + " identifiers, " + erasedTraits.size() + " traits, " + orderIds.size()
              + " orders' contact data erased, " + scrubbedEvents.events() + " events and " + scrubbedEvents.deadLetters()
              + " dead letters scrubbed" + (reason == null ? "" : "; reason: " + reason));
      Erasure stored = of(person).orElseThrow();
      return new Erasure(person, pseudonym, stored.erasedAt(), stored.erasedBy(), identifiers, scrubbed, erasedTraits.size(),
          scrubbedEvents.events());
    });
  }

  private static byte[] bytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }
}
