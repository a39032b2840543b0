package io.pond.loyalty;

import java.time.Instant;

/** Points were spent (a redemption or a checkout reservation). */
public record PointsRedeemed(String program, PersonRef person, long entryId, long points, String businessId, Instant at) implements PointsChange {}
