package io.pond.loyalty;

import java.time.Instant;
import java.time.LocalDate;

/** Points of a member will expire on {@code expiresOn} (local date); published once per account and date. */
public record PointsExpiringSoon(String program, PersonRef person, long points, LocalDate expiresOn, Instant at) {}
