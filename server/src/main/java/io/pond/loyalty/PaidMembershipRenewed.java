package io.pond.loyalty;

import java.time.Instant;

/** A paid membership still active was renewed: its end moved from {@code previousEndsAt} by one term. */
public record PaidMembershipRenewed(
    String program, PersonRef person, String plan, Instant previousEndsAt, Instant endsAt, String businessId, long paidFen, Instant at) {}
