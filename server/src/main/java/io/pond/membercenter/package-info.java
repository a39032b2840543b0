/**
 * Member center (会员中心): the API behind the mobile H5 pages members use — sign-in with a phone and a
 * one-time code (sent through messaging), their member card with tier, points and a QR code, points
 * history, the points mall. It composes identity, loyalty and messaging; it owns no business rules.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Member center")
package io.pond.membercenter;
