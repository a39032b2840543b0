package io.pond.membercenter.auth;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;

/** A code was asked for too soon; answered 429 with {@code Retry-After}. */
class TooSoonException extends PondException {

  private final long retryAfterSeconds;

  TooSoonException(String detail, long retryAfterSeconds) {
    super(ErrorCode.RATE_LIMITED, detail, "phone");
    this.retryAfterSeconds = retryAfterSeconds;
  }

  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
