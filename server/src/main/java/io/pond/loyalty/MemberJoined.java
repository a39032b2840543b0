package io.pond.loyalty;

import java.time.Instant;

/** A person became a member of a program (入会), on the channel and shop where they first joined. */
public record MemberJoined(String program, PersonRef person, String channel, String shop, Instant at) {}
