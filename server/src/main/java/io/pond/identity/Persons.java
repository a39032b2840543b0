package io.pond.identity;

import io.pond.platform.Identifier;
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
}
