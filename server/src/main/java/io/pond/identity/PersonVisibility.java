package io.pond.identity;

import io.pond.platform.errors.PondException;
import io.pond.platform.security.CurrentCaller;
import io.pond.platform.security.DataScope;
import io.pond.platform.security.SalesChannels;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Whether a caller limited to some channels may see a person: when the person (or the survivor it
 * was merged into) holds an identifier of a permitted channel's types ({@link SalesChannels}). Callers
 * that see every channel see every person. Modules that answer about one person call {@link
 * #require(int)} first, so that a person outside the caller's channels answers 404, as if it did not
 * exist.
 */
@Component
public class PersonVisibility {

  private final Persons persons;

  PersonVisibility(Persons persons) {
    this.persons = persons;
  }

  /** Whether the scope sees the person; an unknown person is not visible to a restricted scope. */
  public boolean visible(PersonId person, DataScope scope) {
    if (!scope.isRestricted()) {
      return true;
    }
    Set<String> types = SalesChannels.identifierTypes(scope);
    if (types.isEmpty()) {
      return false;
    }
    Optional<PersonId> current = persons.current(person);
    return current.isPresent() && persons.identifierTypesOf(current.get()).stream().anyMatch(types::contains);
  }

  /** Refuses, as {@code not_found}, a person the current caller may not see (for callers limited to some channels). */
  public void require(int personId) {
    DataScope scope = CurrentCaller.channels();
    if (scope.isRestricted() && (personId <= 0 || !visible(PersonId.of(personId), scope))) {
      throw PondException.notFound("Person", personId);
    }
  }
}
