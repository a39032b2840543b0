package io.pond.loyalty.claim;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;

/** A member submitted more claims than allowed per hour; answered 429 with {@code Retry-After}. */
class ClaimsRateLimited extends PondException {

  private final long retryAfterSeconds;

  ClaimsRateLimited(int perHour, long retryAfterSeconds) {
    super(ErrorCode.RATE_LIMITED, "a member may submit " + perHour + " order claims an hour; retry after " + retryAfterSeconds + " s", "orderNumber");
    this.retryAfterSeconds = retryAfterSeconds;
  }

  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
