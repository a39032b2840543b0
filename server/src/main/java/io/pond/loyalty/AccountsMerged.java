package io.pond.loyalty;

import java.time.Instant;

/**
 * Two persons' accounts in a program became one after a OneID merge: {@code merged}'s points, lots,
 * growth and open reservations now belong to {@code survivor}, whose tier is the higher of the two.
 */
public record AccountsMerged(
    String program, PersonRef survivor, PersonRef merged, long available, long pending, long growth, String tier, Instant at) {}
