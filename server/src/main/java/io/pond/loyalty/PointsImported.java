package io.pond.loyalty;

import java.time.Instant;

/**
 * A chunk of a batched earning import was posted: {@code postings} EARN entries (ids from
 * {@code firstEntryId} to {@code lastEntryId}, available at once) adding {@code points} to
 * {@code accounts} accounts. One event per chunk instead of a {@link PointsEarned} per posting, so
 * that an import of a million postings is not a million deliveries; listeners that need every
 * posting read the ledger.
 */
public record PointsImported(
    String program, String source, int postings, long points, int accounts, long firstEntryId, long lastEntryId, Instant at) {}
