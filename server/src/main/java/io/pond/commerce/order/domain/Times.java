package io.pond.commerce.order.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Platform times are kept to the microsecond, the precision both OLTP stores keep. */
final class Times {
  private Times() {}

  static Instant normalize(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
  }

  static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }
}
