package io.pond.membercenter;

import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.platform.security.MemberPrincipal;
import org.springframework.stereotype.Component;

/**
 * The person the member token stands for, as OneID knows them now: a person merged into another
 * (e.g. by an order claim linking the order's buyer) acts as the survivor at once, before the
 * session itself is moved.
 */
@Component
public class CurrentMember {

  private final Persons persons;

  CurrentMember(Persons persons) {
    this.persons = persons;
  }

  public int personId() {
    int signedIn = MemberPrincipal.current().personId();
    return persons.current(PersonId.of(signedIn)).map(PersonId::value).orElse(signedIn);
  }
}
