package io.pond.commerce.order.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A value with the platform's modified time of the message that carried it: the unit of "amounts
 * follow the platform's latest modified time".
 */
public record Stamped<T>(T value, Instant at) {
  public Stamped {
    Objects.requireNonNull(value, "value");
    at = Times.normalize(Objects.requireNonNull(at, "at"));
  }

  public static <T> Stamped<T> of(T value, Instant at) {
    return value == null ? null : new Stamped<>(value, at);
  }
}
