package io.pond.identity;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;

/**
 * A merge was undone: {@code restored} exists again with the identifiers it had brought to
 * {@code from}. Events and orders carry raw identifiers, so their attribution follows the identity map
 * by itself; modules that copied data at the merge (loyalty, profile) move it back by their policy.
 *
 * @param identifiers the identifiers that moved back (personal values masked)
 */
public record PersonSplit(
    PersonId from, PersonId restored, long mergeId, List<Identifier> identifiers, String actor, Instant at) {}
