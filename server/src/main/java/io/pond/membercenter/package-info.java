/**
 * Member center (会员中心): the API behind the mobile H5 pages members use — sign-in with a phone and a
 * one-time code (sent through messaging), their member card with tier, points and a QR code, the
 * explained points history, the points mall, joining (入会), order claims (订单换积分), their coupons and
 * the claim center (领券中心). It composes identity, loyalty, offer, profile and messaging through their
 * public APIs; it owns no business rules.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Member center")
package io.pond.membercenter;
