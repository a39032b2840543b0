/**
 * Loyalty (全域会员): programs, tiers and the points ledger that never loses a point. Its API: {@link
 * io.pond.loyalty.OrderPoints} (order facts in), {@link io.pond.loyalty.PersonRef}, and the events it
 * publishes ({@link io.pond.loyalty.PointsEarned}, {@link io.pond.loyalty.TierChanged}, …).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Loyalty")
package io.pond.loyalty;
