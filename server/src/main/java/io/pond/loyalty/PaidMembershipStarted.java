package io.pond.loyalty;

import java.time.Instant;

/** A paid membership (付费会员) began: bought for the first time, or again after it had expired. */
public record PaidMembershipStarted(
    String program, PersonRef person, String plan, Instant startedAt, Instant endsAt, String businessId, long paidFen) {}
