package io.pond.identity;

import java.time.Instant;

/**
 * Two persons became one: everything of {@code merged} now belongs to {@code survivor}. Published in
 * the transaction of the merge. Loyalty merges accounts by its stated policy; profile merges traits.
 *
 * @param mergeId the merge record, which {@link PersonSplit} names when it is undone
 * @param kind the evidence kind (together, alias, manual, …), {@code source} and {@code evidenceKey}
 *     (its idempotency key) say which evidence caused it
 */
public record PersonsMerged(
    PersonId survivor, PersonId merged, long mergeId, LinkKind kind, String source, String evidenceKey, Instant at) {}
