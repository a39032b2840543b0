package io.pond.offer.coupon.domain;

import java.time.Instant;

/** A coupon a person holds, with the window it can be used in. */
public record Coupon(long id, String code, CouponTemplate template, Instant validFrom, Instant validUntil) {

  public boolean usableAt(Instant at) {
    return !at.isBefore(validFrom) && at.isBefore(validUntil);
  }
}
