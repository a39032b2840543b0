package io.pond.offer.coupon;

import io.pond.platform.errors.PondException;

/** The idempotency key of a request: the body's {@code idempotencyKey} or the {@code Idempotency-Key} header. */
public final class IdempotencyKeys {

  private IdempotencyKeys() {}

  /** One of them, or null; both must agree when both are given. */
  public static String of(String body, String header) {
    if (body != null && header != null && !body.equals(header)) {
      throw PondException.invalid("idempotencyKey", "the Idempotency-Key header and the body's idempotencyKey differ");
    }
    return body != null ? body : header;
  }
}
