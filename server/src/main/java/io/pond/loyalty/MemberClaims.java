package io.pond.loyalty;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.time.Instant;
import java.util.List;

/**
 * Order claims (订单换积分) a member makes for themself: a channel and an order number. Settled at once
 * when loyalty knows the paid order ({@code ACCEPTED} with the points, or {@code REJECTED} with a
 * reason), else {@code HELD} until the order arrives (or {@code EXPIRED} after the hold).
 */
public interface MemberClaims {

  /**
   * A claim as its member sees it. {@code reasonCode} is stable ({@code already_earned}, {@code
   * order_cancelled}, {@code order_too_old}, {@code buyer_not_linked}, {@code expired}, {@code accepted});
   * {@code reason} explains it.
   */
  record Claim(
      long id,
      String program,
      String channel,
      String orderNumber,
      String shop,
      String status,
      String reasonCode,
      String reason,
      Long points,
      Instant createdAt,
      Instant expiresAt,
      Instant settledAt) {}

  /**
   * Submits a claim for {@code member} (who must be a member of the program). The same member
   * claiming the same order again gets the first claim back; another member's claim of it is a
   * {@code conflict}.
   *
   * @throws RateLimited when the member made too many claims in the last hour
   */
  Claim submit(String program, PersonRef member, String channel, String orderNumber, String shop);

  /** The member's claims, newest first; {@code beforeId} pages backwards. */
  List<Claim> list(String program, PersonRef member, Long beforeId, int limit);

  /** Too many claims: {@code rate_limited}, to be answered with {@code Retry-After}. */
  final class RateLimited extends PondException {
    private final long retryAfterSeconds;

    public RateLimited(String detail, long retryAfterSeconds) {
      super(ErrorCode.RATE_LIMITED, detail, "orderNumber");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
