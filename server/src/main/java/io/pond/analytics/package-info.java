/**
 * Analytics: the console's dashboard — member growth, GMV by channel, members' and others' GMV, tier
 * distribution — computed on request from the aggregates commerce ({@link io.pond.commerce.OrderStatistics})
 * and loyalty ({@link io.pond.loyalty.MembershipStatistics}) publish, over the caller's channel scope.
 * It owns no tables; no module depends on it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics")
package io.pond.analytics;
