package io.pond.profile.person;

import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.CurrentCaller;
import io.pond.platform.security.Role;
import org.springframework.stereotype.Component;

/**
 * Who may do what with profiles: everyone signed in reads (personal traits masked); admins and
 * operators write traits and consents; only admins see personal data in clear, export it or erase it.
 */
@Component
public class Access {

  private final Persons persons;

  Access(Persons persons) {
    this.persons = persons;
  }

  public static boolean maySeePii() {
    return CurrentCaller.maySeePii();
  }

  public static void requireOperator() {
    Role role = CurrentCaller.role();
    if (role != Role.ADMIN && role != Role.OPERATOR) {
      throw new PondException(ErrorCode.FORBIDDEN, "only admins and operators may change profiles");
    }
  }

  public static void requireAdmin(String what) {
    if (CurrentCaller.role() != Role.ADMIN) {
      throw new PondException(ErrorCode.FORBIDDEN, "only admins may " + what);
    }
  }

  /** Per-person aggregates span every channel: a caller limited to some channels may not read them. */
  public static void requireAllChannels(String what) {
    if (CurrentCaller.channels().isRestricted()) {
      throw new PondException(ErrorCode.FORBIDDEN,
          "your data scope is limited to some channels; " + what + " cover every channel", "channel");
    }
  }

  /** The person an id names now (a merged-away id answers its survivor); 404 when unknown. */
  public int person(int id) {
    if (id <= 0) {
      throw PondException.invalid("personId", "a person id is a positive number");
    }
    return persons.current(PersonId.of(id)).map(PersonId::value).orElseThrow(() -> PondException.notFound("Person", id));
  }
}
