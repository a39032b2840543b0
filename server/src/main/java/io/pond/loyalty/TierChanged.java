package io.pond.loyalty;

import java.time.Instant;

/** A member's tier changed (upgrade at once, downgrade at review, or a refund's revert), with why. */
public record TierChanged(String program, PersonRef person, String fromTier, String toTier, String reason, Instant at) {}
