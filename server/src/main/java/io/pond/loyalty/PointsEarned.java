package io.pond.loyalty;

import java.time.Instant;

/** Points were earned; {@code pending} ones become available later ({@link PointsActivated}). */
public record PointsEarned(
    String program, PersonRef person, long entryId, long points, boolean pending, String businessType, String businessId, Instant at) implements PointsChange {}
