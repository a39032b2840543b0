package io.pond.identity;

import io.pond.platform.Identifier;
import java.util.List;
import java.util.Optional;

/**
 * What resolving one piece of evidence did.
 *
 * @param person the person the evidence belongs to (that of its highest-priority usable identifier);
 *     empty when nothing usable was left
 * @param outcome created, attached, merged, unchanged, detached, conflict or rejected
 * @param refused identifiers that were not used, each with a reason ({@code junk_value},
 *     {@code unknown_type}, {@code limit:device_id}, …)
 */
public record Resolution(Optional<PersonId> person, Outcome outcome, List<Refused> refused) {

  public record Refused(Identifier identifier, String reason) {}

  /** The outcome of one resolution. */
  public sealed interface Outcome {
    /** A new person was created for identifiers never seen before. */
    record Created() implements Outcome {}

    /** New identifiers were attached to an existing person. */
    record Attached() implements Outcome {}

    /** Persons were merged into the resolved (surviving) person. */
    record Merged(List<PersonId> merged) implements Outcome {}

    /** Everything was known and linked already, or the evidence was a replay. */
    record Unchanged(boolean replay) implements Outcome {}

    /** Identifiers left their person (unbind, split). */
    record Detached() implements Outcome {}

    /** Two persons could not be merged automatically; a conflict is recorded for an operator. */
    record Conflict(String reason) implements Outcome {}

    /** No usable identifier, or the evidence itself is invalid. */
    record Rejected(String reason) implements Outcome {}
  }
}
