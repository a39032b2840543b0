package io.pond.loyalty;

import java.time.Instant;

/** A member's identity on a channel (its member id there) was bound to the membership. */
public record MemberBound(
    String program, PersonRef person, long bindingId, String channel, String shop, String channelMemberId, Instant at) {}
