package io.pond.ingest.intake;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;

/** A write key sent more than its rate allows; answered 429 with {@code Retry-After}. */
public class RateLimitedException extends PondException {

  private final long retryAfterSeconds;

  public RateLimitedException(long retryAfterSeconds) {
    super(ErrorCode.RATE_LIMITED, "This write key sends more events than its rate limit allows; retry after "
        + retryAfterSeconds + " s");
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
