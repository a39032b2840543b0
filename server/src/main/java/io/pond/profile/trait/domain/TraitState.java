package io.pond.profile.trait.domain;

import java.time.Instant;

/** A trait as it stands: its value (null once removed), the source that set it and when. */
public record TraitState(String name, String value, String source, Instant observedAt) {

  public boolean removed() {
    return value == null;
  }

  public static TraitState of(TraitWrite write) {
    return new TraitState(write.name(), write.value(), write.source(), write.observedAt());
  }
}
