package io.pond.loyalty;

import java.time.Instant;

/**
 * A refund took points back. {@code forgiven} points were owed but not taken (refund policy);
 * {@code growth} is the growth value reverted with them.
 */
public record PointsClawedBack(
    String program, PersonRef person, long entryId, long points, long forgiven, long growth, String orderKey, Instant at) implements PointsChange {}
