package io.pond.identity;

import io.pond.platform.Identifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The narrow query side of identity, for modules that must read synchronously (attributing an order
 * or an event to a person). Answers from memory; values are real (not masked) — callers that show them
 * to people mask them themselves.
 */
public interface Persons {

  /** The person that holds the identifier now (phones and emails are normalised first). */
  Optional<PersonId> personOf(Identifier identifier);

  /** The person's identifiers, phones and emails decrypted; empty when there is no such person. */
  List<Identifier> identifiersOf(PersonId person);

  /** The types of the person's identifiers (no value is decrypted); empty when there is no such person. */
  Set<String> identifierTypesOf(PersonId person);

  /** The person this id now is: itself, or the survivor it was merged into. Empty when unknown. */
  Optional<PersonId> current(PersonId person);

  /**
   * The person the first known of {@code identifiers} resolves to, waiting up to {@code wait} for
   * identity to know one: identity resolves an order's buyers in its own listener of the order's
   * event, alongside the other modules' listeners of the same event. Empty when none is known by then.
   */
  default Optional<PersonId> awaitPersonOf(List<Identifier> identifiers, Duration wait) {
    if (identifiers == null || identifiers.isEmpty()) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      for (Identifier identifier : identifiers) {
        Optional<PersonId> person = personOf(identifier);
        if (person.isPresent()) {
          return person;
        }
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }
}
