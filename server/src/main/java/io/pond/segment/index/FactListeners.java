package io.pond.segment.index;

import io.pond.commerce.OrderEventBatches;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrdersImported;
import io.pond.identity.PersonId;
import io.pond.identity.PersonSplit;
import io.pond.identity.Persons;
import io.pond.identity.PersonsMerged;
import io.pond.loyalty.TierChanged;
import io.pond.platform.Identifier;
import io.pond.profile.ProfileChanged;
import io.pond.profile.ProfilesChanged;
import io.pond.profile.ProfileChangeBatches;
import io.pond.segment.index.domain.PersonFacts;
import io.pond.segment.index.domain.PersonIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps the stored facts and the bitmaps current from other modules' events: profile changes, paid
 * orders, merges and splits, tier changes. Each listener runs in its own transaction after the
 * publishing one committed (Spring Modulith's durable registry redelivers after a crash); the bitmaps
 * change after this transaction commits.
 */
@Component
class FactListeners {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FactListeners.class);

  private final Facts facts;
  private final SegmentIndex index;
  private final Persons persons;
  private final OrderEventBatches batches;
  private final TransactionTemplate tx;
  private final ProfileChangeBatches profileBatches;

  FactListeners(Facts facts, SegmentIndex index, Persons persons, OrderEventBatches batches, ProfileChangeBatches profileBatches,
      PlatformTransactionManager transactions) {
    this.profileBatches = profileBatches;
    this.tx = new TransactionTemplate(transactions);
    this.facts = facts;
    this.index = index;
    this.persons = persons;
    this.batches = batches;
  }

  @ApplicationModuleListener
  void on(ProfileChanged change) {
    profileChanged(List.of(change));
  }

  /** Changes stored together (a bulk recompute): applied in order, in this listener's one transaction. */
  @ApplicationModuleListener
  void on(ProfilesChanged changes) {
    profileChanged(profileBatches.changes(changes.batchId()));
  }

  /** Stores the changes as facts; the bitmaps follow all of them at once after the commit. */
  private void profileChanged(List<ProfileChanged> changes) {
    // PERF: a bulk load's changes are thousands of facts: stored with batched statements
    List<Facts.Fact> stored = new ArrayList<>();
    for (ProfileChanged change : changes) {
      int p = change.personId();
      change.traits().forEach((name, value) -> stored.add(new Facts.Fact(p, Facts.TRAIT, name, value)));
      change.metrics().forEach((name, value) -> stored.add(new Facts.Fact(p, Facts.METRIC, name, value == null ? null : Long.toString(value))));
      change.consents().forEach((name, value) -> stored.add(new Facts.Fact(p, Facts.CONSENT, name, value == null ? null : value.toString())));
    }
    List<Integer> people = changes.stream().map(ProfileChanged::personId).toList();
    index.lockPersons(people);
    facts.touch(people);
    facts.putAll(stored);
    index.afterCommit(i -> {
      for (ProfileChanged change : changes) {
        int p = change.personId();
        i.addPerson(p);
        change.traits().forEach((name, value) -> i.trait(p, name, value));
        change.metrics().forEach((name, value) -> i.metric(p, name, value));
        change.consents().forEach((name, value) -> i.consent(p, name, value));
      }
    });
  }

  @ApplicationModuleListener
  void on(OrderPaid order) {
    paid(order);
  }

  /**
   * Imported orders arrive as one event per chunk. Identity resolves the chunk's buyers in parallel, so
   * this waits for them first without a transaction (no connection held while waiting), then counts the
   * chunk's paid orders in one transaction. Orders whose buyer OneID still does not know (no usable
   * identifier) are left out and logged: a bulk load must not stay pending forever for them.
   */
  @Async
  @TransactionalEventListener
  void on(OrdersImported chunk) {
    List<OrderPaid> paid = batches.events(chunk.batchId()).stream()
        .filter(OrderPaid.class::isInstance).map(OrderPaid.class::cast).toList();
    long deadline = System.nanoTime() + index.properties().attributionWait().toNanos();
    List<OrderPaid> unknown = paid;
    while (!unknown.isEmpty() && System.nanoTime() < deadline) {
      unknown = unknown.stream().filter(o -> personNow(o.buyers()).isEmpty()).toList();
      if (!unknown.isEmpty()) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    List<OrderPaid> known = paid.stream().filter(o -> personNow(o.buyers()).isPresent()).toList();
    tx.executeWithoutResult(status -> paidAll(known));
    if (known.size() < paid.size()) {
      log.warn("{} paid orders of import batch {} have no person in OneID; segments leave them out",
          paid.size() - known.size(), chunk.batchId());
    }
  }

  private Optional<Integer> personNow(List<Identifier> buyers) {
    for (Identifier buyer : buyers == null ? List.<Identifier>of() : buyers) {
      Optional<PersonId> person = persons.personOf(buyer);
      if (person.isPresent()) {
        return Optional.of(person.get().value());
      }
    }
    return Optional.empty();
  }

  /** {@link #paid} for a chunk of orders whose buyers OneID knows, with batched statements. */
  private void paidAll(List<OrderPaid> orders) {
    Map<Long, Integer> persons = new LinkedHashMap<>();
    orders.forEach(o -> persons.put(o.orderId(), personNow(o.buyers()).orElseThrow()));
    index.lockPersons(persons.values());
    Set<Long> fresh = facts.firstTimeSeen(persons);
    List<Facts.Increment> increments = new ArrayList<>();
    Set<Integer> buyers = new LinkedHashSet<>();
    for (OrderPaid order : orders) {
      if (!fresh.contains(order.orderId())) {
        continue;
      }
      int p = persons.get(order.orderId());
      int day = index.epochDay(order.paidAt());
      increments.add(new Facts.Increment(p, Facts.BOUGHT, PersonIndex.ANY_CATEGORY, day, 1));
      order.categories().forEach(c -> increments.add(new Facts.Increment(p, Facts.BOUGHT, c, day, 1)));
      buyers.add(p);
    }
    facts.add(increments);
    refreshPresence(buyers);
    index.afterCommit(i -> increments.forEach(x -> i.purchase(x.person(), x.counted(), x.day(), x.times())));
  }

  private void paid(OrderPaid order) {
    int p = awaitPerson(order.buyers()).orElseThrow(() -> new IllegalStateException(
        "no person for the buyers of order " + order.orderId() + " yet; redelivered at the next start"));
    index.lockPersons(p);
    if (!facts.firstTimeSeen(order.orderId(), p)) {
      return;
    }
    int day = index.epochDay(order.paidAt());
    List<Facts.Increment> increments = new ArrayList<>();
    increments.add(new Facts.Increment(p, Facts.BOUGHT, PersonIndex.ANY_CATEGORY, day, 1));
    order.categories().forEach(c -> increments.add(new Facts.Increment(p, Facts.BOUGHT, c, day, 1)));
    facts.add(increments);
    refreshPresence(p);
    index.afterCommit(i -> increments.forEach(x -> i.purchase(x.person(), x.counted(), x.day(), x.times())));
  }

  @ApplicationModuleListener
  void on(PersonsMerged merged) {
    int survivor = merged.survivor().value();
    int gone = merged.merged().value();
    index.lockPersons(survivor, gone);
    facts.merge(survivor, gone, "merge:" + merged.mergeId());
    refreshPresence(survivor);
    PersonFacts now = facts.of(survivor);
    index.afterCommit(i -> {
      i.remove(gone);
      i.load(survivor, now);
    });
  }

  /** Facts stay with {@code from} (profile republishes what it moves back); presence follows the identifiers. */
  @ApplicationModuleListener
  void on(PersonSplit split) {
    refreshPresence(List.of(split.from().value(), split.restored().value()));
  }

  @ApplicationModuleListener
  void on(TierChanged change) {
    int p = change.person().value();
    String tier = change.toTier() == null || change.toTier().isBlank() ? null : change.toTier();
    index.lockPersons(p);
    facts.touch(p);
    facts.put(p, Facts.TIER, change.program(), tier);
    index.afterCommit(i -> i.tier(p, change.program(), tier));
  }

  void refreshPresence(int person) {
    refreshPresence(List.of(person));
  }

  /**
   * Stores and indexes which identifier types the persons hold now (channel presence), where changed,
   * with batched statements (a bulk load's chunk has hundreds of buyers).
   */
  void refreshPresence(java.util.Collection<Integer> people) {
    index.lockPersons(people); // before any write; already held by the listeners above that write first
    facts.touch(people);
    List<Facts.Fact> changed = new ArrayList<>();
    Map<Integer, Set<String>> now = new LinkedHashMap<>();
    for (int person : new LinkedHashSet<>(people)) {
      Set<String> types = persons.identifierTypesOf(PersonId.of(person));
      Set<String> indexed = index.read(i -> i.identifierTypesOf(person));
      now.put(person, types.equals(indexed) ? null : types);
      indexed.stream().filter(old -> !types.contains(old)).forEach(old -> changed.add(new Facts.Fact(person, Facts.IDTYPE, old, null)));
      types.stream().filter(type -> !indexed.contains(type)).forEach(type -> changed.add(new Facts.Fact(person, Facts.IDTYPE, type, "true")));
    }
    facts.putAll(changed);
    index.afterCommit(i -> now.forEach((person, types) -> {
      if (types == null) {
        i.addPerson(person);
      } else {
        i.identifierTypes(person, types);
      }
    }));
  }

  /** The person of the first buyer identifier that has one, waiting a while for identity to resolve them. */
  private Optional<Integer> awaitPerson(List<Identifier> buyers) {
    return persons.awaitPersonOf(buyers, index.properties().attributionWait()).map(PersonId::value);
  }

}
