package io.pond.loyalty;

import java.time.Instant;

/** A paid membership reached its end without renewal. */
public record PaidMembershipExpired(String program, PersonRef person, String plan, Instant endedAt, Instant at) {}
