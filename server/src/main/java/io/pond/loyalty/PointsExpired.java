package io.pond.loyalty;

import java.time.Instant;

/** Points of one lot reached their expiry and were removed from the balance. */
public record PointsExpired(String program, PersonRef person, long entryId, long points, Instant at) implements PointsChange {}
