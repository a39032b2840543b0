package io.pond.profile.person;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.commerce.OrderSummary;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.platform.Identifier;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Orders wait a little for buyers that identity resolves on its own thread, and not forever. */
class AttributionTest {

  /** OneID as profile sees it: identifiers become known when identity's listener gets to them. */
  static final class LateIdentity implements Persons {
    final Map<Identifier, PersonId> known = new ConcurrentHashMap<>();

    @Override
    public Optional<PersonId> personOf(Identifier identifier) {
      return Optional.ofNullable(known.get(identifier));
    }

    @Override
    public List<Identifier> identifiersOf(PersonId person) {
      return List.of();
    }

    @Override
    public Set<String> identifierTypesOf(PersonId person) {
      return Set.of();
    }

    @Override
    public Optional<PersonId> current(PersonId person) {
      return Optional.of(person);
    }
  }

  final LateIdentity identity = new LateIdentity();
  final Attribution attribution = new Attribution(identity);

  final Identifier known = Identifier.global("login_id", "known");
  final Identifier late = Identifier.global("login_id", "late");
  final Identifier never = Identifier.global("login_id", "never");

  @Test
  void an_order_waits_for_a_buyer_identity_knows_a_moment_later_and_not_for_one_it_never_knows() {
    identity.known.put(known, PersonId.of(1));
    CompletableFuture.runAsync(() -> identity.known.put(late, PersonId.of(2)), CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

    long start = System.nanoTime();
    Map<Long, Integer> persons = attribution.personsOf(List.of(order(10, known), order(11, never), order(12, late)), Duration.ofSeconds(2));
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(persons).containsExactlyInAnyOrderEntriesOf(Map.of(10L, 1, 12L, 2));
    // the wait is for the whole chunk, not per order: the unknown buyer used it up, the late one did not add to it
    assertThat(seconds).isBetween(1.9, 3.0);
  }

  @Test
  void without_a_wait_only_the_buyers_known_now_are_attributed() {
    identity.known.put(known, PersonId.of(1));
    assertThat(attribution.personsOf(List.of(order(10, known), order(12, late), order(13)), Duration.ZERO))
        .containsExactlyEntriesOf(Map.of(10L, 1));
  }

  private static OrderSummary order(long id, Identifier... buyers) {
    Instant t = Instant.parse("2026-11-01T02:00:00Z");
    return new OrderSummary(id, "taobao", "shop", "o-" + id, "PAID", true, 100, 0, 0, 0, t, t, null, null, t, List.of(buyers),
        List.of(), List.of());
  }
}
