package io.pond.loyalty.ledger;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.Resolution;
import io.pond.identity.ResolvingIdentity;
import io.pond.loyalty.PersonRef;
import io.pond.platform.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The members of a points import that are named by an identifier (a phone, a unionid, a platform buyer
 * id) rather than a Pond person id — what an old CRM's export has. OneID answers: a known identifier
 * gives its person; an unknown one becomes a new person under OneID's guards, so the points wait for the
 * member, who finds them on joining with that phone or id. A junk or unknown-type identifier is refused
 * with OneID's reason.
 */
@Component
public class ImportIdentities {

  /** Evidence resolved per transaction. */
  private static final int BATCH = 1000;

  private final Persons persons;
  private final ResolvingIdentity identity;

  ImportIdentities(Persons persons, ResolvingIdentity identity) {
    this.persons = persons;
    this.identity = identity;
  }

  /** The person an identifier stands for, or why it cannot be used ({@code person} null). */
  public record Found(PersonRef person, String refused) {}

  /**
   * Resolves each identifier. {@code firstBusinessIds} maps it to the business id of the first row that
   * names it: the evidence's idempotency key derives from the program, the source and that id (no
   * personal data in the key), so a re-sent import resolves nothing twice.
   */
  public Map<Identifier, Found> resolve(String program, String source, Map<Identifier, String> firstBusinessIds, Instant at) {
    Map<Identifier, Found> found = new HashMap<>();
    List<Identifier> unknown = new ArrayList<>();
    firstBusinessIds.keySet().forEach(
        id -> persons.personOf(id).ifPresentOrElse(p -> found.put(id, found(p)), () -> unknown.add(id)));
    for (int from = 0; from < unknown.size(); from += BATCH) {
      List<Identifier> part = unknown.subList(from, Math.min(unknown.size(), from + BATCH));
      List<Evidence> batch =
          part.stream()
              .map(id -> new Evidence(List.of(id), LinkKind.TOGETHER, "loyalty.import", at,
                  "loyalty-import:" + sha256(program + "|" + source + "|" + firstBusinessIds.get(id))))
              .toList();
      List<Resolution> answers = identity.resolveAll(batch);
      for (int i = 0; i < part.size(); i++) {
        Resolution r = answers.get(i);
        Identifier id = part.get(i);
        // a replayed key (an identifier erased since) answers no person: look it up once more
        Optional<PersonId> person = r.person().or(() -> persons.personOf(id));
        found.put(id, person.map(ImportIdentities::found).orElseGet(() -> new Found(null, why(r))));
      }
    }
    return found;
  }

  private static Found found(PersonId person) {
    return new Found(new PersonRef(person.value()), null);
  }

  private static String why(Resolution r) {
    if (!r.refused().isEmpty()) {
      return "refused by OneID: " + r.refused().stream().map(Resolution.Refused::reason).collect(Collectors.joining(", "));
    }
    return switch (r.outcome()) {
      case Resolution.Outcome.Rejected rejected -> "refused by OneID: " + rejected.reason();
      case Resolution.Outcome.Conflict conflict -> "OneID conflict: " + conflict.reason();
      // the key was resolved before and there is no person: OneID refused the identifier when the file
      // was first sent (the reason was in that answer), or the identifier was erased since
      case Resolution.Outcome.Unchanged unchanged when unchanged.replay() ->
          "OneID refused it when this import was first sent, or it was erased since";
      default -> "OneID found no person for it";
    };
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
