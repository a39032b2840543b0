package io.pond.profile.trait.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A source says a trait of a person has a value ({@code value == null}: the trait is removed), as
 * observed at {@code observedAt} (the event time, the import's time, the operator's clock).
 */
public record TraitWrite(String name, String value, String source, Instant observedAt) {

  public static final int MAX_NAME_LENGTH = 100;
  public static final int MAX_VALUE_LENGTH = 2000;

  public TraitWrite {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(observedAt, "observedAt");
  }

  public boolean removal() {
    return value == null;
  }
}
