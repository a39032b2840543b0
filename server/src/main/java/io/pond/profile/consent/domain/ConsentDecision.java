package io.pond.profile.consent.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A person granted or withdrew consent for a purpose, at {@code occurredAt}, through {@code source}
 * (console, member center, a channel, an import), recorded by {@code actor}.
 *
 * <p>The current consent per purpose is the decision that occurred last; a decision reported late
 * (an older {@code occurredAt}) joins the history without overriding a newer one. Equal times: the
 * one recorded later ({@code seq}) wins.
 */
public record ConsentDecision(long seq, Purpose purpose, boolean granted, String source, String actor, String note,
    Instant occurredAt) {

  public ConsentDecision {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }

  public static final Comparator<ConsentDecision> CHRONOLOGICAL =
      Comparator.comparing(ConsentDecision::occurredAt).thenComparingLong(ConsentDecision::seq);

  /** The decision in force per purpose (purposes never decided are absent: no consent). */
  public static Map<Purpose, ConsentDecision> current(Collection<ConsentDecision> history) {
    Map<Purpose, ConsentDecision> out = new EnumMap<>(Purpose.class);
    for (ConsentDecision d : history) {
      out.merge(d.purpose(), d, (a, b) -> CHRONOLOGICAL.compare(a, b) >= 0 ? a : b);
    }
    return out;
  }
}
