package io.pond.loyalty;

import java.time.Instant;

/** Pending points became available (the order completed and its return window passed). */
public record PointsActivated(String program, PersonRef person, long entryId, long points, String orderKey, Instant at) implements PointsChange {}
