/**
 * Offers (优惠): coupon templates, issuance (claim, grant, bulk, events, tier benefits), checkout
 * validation and redemption that never oversells, tier and paid-membership benefits, and first-order
 * programs with their metrics. API: {@link io.pond.offer.Audience} (a source of persons for bulk
 * issuance, e.g. a segment) and the event {@link io.pond.offer.CouponRedeemed}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Offers")
package io.pond.offer;
