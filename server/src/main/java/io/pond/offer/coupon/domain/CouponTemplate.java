package io.pond.offer.coupon.domain;

import java.util.Set;

/**
 * A coupon template (券模板): what its coupons give, where and when they can be used, how many exist,
 * and who may have them.
 *
 * @param totalStock the most coupons ever issued from it
 * @param perMemberLimit the most coupons one person may hold from it, ever (null: no limit)
 * @param memberOnly only members may claim
 * @param tiers only members of these tiers may claim (empty: any)
 * @param newCustomerOnly only persons with no known order may claim (新人券)
 * @param stackable whether a price coupon combines with other stackable price coupons ({@link Stacking})
 * @param refundPolicy what a refund does to a redeemed coupon
 */
public record CouponTemplate(
    long id,
    String code,
    String name,
    Rule rule,
    Scope scope,
    Validity validity,
    long totalStock,
    Integer perMemberLimit,
    boolean memberOnly,
    Set<String> tiers,
    boolean newCustomerOnly,
    boolean stackable,
    RefundPolicy refundPolicy,
    boolean active) {

  public CouponTemplate {
    tiers = tiers == null ? Set.of() : Set.copyOf(tiers);
  }

  public CouponKind kind() {
    return rule.kind();
  }

  /** What a refund does to a coupon redeemed on the refunded order. */
  public enum RefundPolicy {
    /** The coupon stays used. */
    NEVER,
    /** Given back when the whole order is refunded (the default). */
    FULL_REFUND,
    /** Given back on any refund. */
    ANY_REFUND;

    public boolean restores(long paidFen, long totalRefundedFen) {
      return switch (this) {
        case NEVER -> false;
        case FULL_REFUND -> totalRefundedFen > 0 && totalRefundedFen >= paidFen;
        case ANY_REFUND -> totalRefundedFen > 0;
      };
    }
  }
}
