package io.pond.loyalty;

import java.time.Instant;

/** A channel binding was released (the member left that channel's membership, or an operator unbound it). */
public record MemberUnbound(
    String program, PersonRef person, long bindingId, String channel, String shop, String channelMemberId, String reason, Instant at) {}
