package io.pond.offer;

import java.time.Instant;

/**
 * A coupon was redeemed on an order (its checkout lock was redeemed).
 *
 * @param orderKey {@code channel/shop/orderId}
 * @param discountFen what the coupon took off the goods (0 for free shipping and gifts)
 * @param shippingOffFen what it took off shipping
 */
public record CouponRedeemed(
    long couponId, String templateCode, String kind, int personId, String orderKey, long discountFen, long shippingOffFen, Instant at) {}
