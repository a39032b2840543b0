package io.pond.ingest.plan.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON types a tracking plan can require of a property. */
public enum PropertyType {
  STRING,
  NUMBER,
  /** A number without a fractional part ({@code 3} and {@code 3.0} both are). */
  INTEGER,
  BOOLEAN,
  OBJECT,
  ARRAY,
  /** Any non-null value: the property is planned (and may be required) but its type is free. */
  ANY;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The type named on the wire, or null when there is none of that name. */
  public static PropertyType fromWire(String name) {
    for (PropertyType t : values()) {
      if (t.wire().equals(name)) {
        return t;
      }
    }
    return null;
  }

  boolean matches(Object value) {
    return switch (this) {
      case STRING -> value instanceof String;
      case NUMBER -> value instanceof Number;
      case INTEGER -> isIntegral(value);
      case BOOLEAN -> value instanceof Boolean;
      case OBJECT -> value instanceof Map<?, ?>;
      case ARRAY -> value instanceof List<?>;
      case ANY -> true;
    };
  }

  private static boolean isIntegral(Object value) {
    return switch (value) {
      case Integer i -> true;
      case Long l -> true;
      case Short s -> true;
      case Byte b -> true;
      case BigInteger b -> true;
      case BigDecimal d -> d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
      case Double d -> !d.isInfinite() && d == Math.rint(d);
      case Float f -> !f.isInfinite() && f == Math.rint(f);
      default -> false;
    };
  }

  /** The JSON type of a value, for messages. */
  static String describe(Object value) {
    return switch (value) {
      case String s -> "string";
      case Boolean b -> "boolean";
      case Number n -> "number";
      case Map<?, ?> m -> "object";
      case List<?> l -> "array";
      default -> value.getClass().getSimpleName();
    };
  }
}
