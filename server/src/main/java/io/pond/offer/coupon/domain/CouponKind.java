package io.pond.offer.coupon.domain;

/**
 * What a coupon gives. {@link Family} decides how coupons stack: see {@link Stacking}.
 */
public enum CouponKind {
  /** 直减: a fixed amount off the eligible goods. */
  FIXED(Family.PRICE),
  /** 满减: a fixed amount off once the eligible goods reach a threshold. */
  THRESHOLD(Family.PRICE),
  /** 折扣: a percentage off the eligible goods, with an optional cap. */
  PERCENTAGE(Family.PRICE),
  /** 特价 (e.g. a ¥1 or ¥9.9 new-customer item): one unit of an eligible product at a set price. */
  SPECIAL_PRICE(Family.PRICE),
  /** 包邮: shipping off, up to an optional cap. */
  FREE_SHIPPING(Family.SHIPPING),
  /** 赠品: a gift product added to the order; no money off. */
  GIFT(Family.GIFT);

  /** Coupons of one family compete; coupons of different families combine. */
  public enum Family {
    PRICE,
    SHIPPING,
    GIFT
  }

  private final Family family;

  CouponKind(Family family) {
    this.family = family;
  }

  public Family family() {
    return family;
  }
}
