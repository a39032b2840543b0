package io.pond.offer;

import java.time.Instant;
import java.util.List;

/**
 * A member's own coupons (卡券包) and the claim center (领券中心), for the member center. Members claim
 * only templates an operator listed in the claim center; audience rules, stock and the per-member
 * limit apply as to every claim.
 */
public interface MemberCoupons {

  /**
   * What a coupon gives, in fen: {@code kind} {@code fixed}, {@code threshold}, {@code percentage}
   * ({@code payRatePermille} 850 = 8.5折), {@code special_price}, {@code free_shipping}, {@code gift}.
   */
  record Terms(String kind, long amountOffFen, long thresholdFen, int payRatePermille, long capFen, long specialPriceFen, String giftSku) {}

  /**
   * A coupon the member holds. {@code status}: {@code available} (usable within its window, or from
   * {@code validFrom}), {@code locked} (held by a checkout in progress), {@code used} (on {@code
   * orderKey}, saving {@code discountFen}), {@code expired}.
   */
  record Coupon(
      String code,
      String template,
      String name,
      Terms terms,
      String status,
      String source,
      Instant validFrom,
      Instant validUntil,
      Instant issuedAt,
      Instant usedAt,
      String orderKey,
      Long discountFen) {}

  /**
   * A template of the claim center as this member sees it: {@code claimable}, or {@code refusal} says
   * why not ({@code out_of_stock}, {@code limit_reached}, {@code not_member}, {@code tier}, {@code
   * not_new_customer}, {@code paused}, {@code ended}).
   */
  record Claimable(
      String template,
      String name,
      Terms terms,
      long remaining,
      Integer perMemberLimit,
      int held,
      boolean memberOnly,
      List<String> tiers,
      boolean newCustomerOnly,
      Instant validFrom,
      Instant validUntil,
      Integer validDays,
      boolean claimable,
      String refusal) {}

  record Claimed(Coupon coupon, boolean replayed) {}

  /** The member's coupons, newest first. */
  List<Coupon> coupons(int personId);

  /** The claim center's templates, in the operator's order, with this member's eligibility. */
  List<Claimable> claimable(int personId);

  /**
   * Claims one coupon of a claim-center template; idempotent on {@code requestId} (per member).
   *
   * @throws io.pond.platform.errors.PondException {@code not_found} when the template is not in the
   *     claim center; {@code out_of_stock}, {@code coupon_limit_reached}, {@code not_eligible}
   */
  Claimed claim(int personId, String template, String requestId);
}
