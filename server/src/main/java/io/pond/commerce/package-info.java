/**
 * Commerce: canonical orders and refunds from every channel (Taobao/Tmall, 抖店, Youzan, Kuaishou,
 * 微信小店, JD, native/POS), the channel adapters that map their pushes, and bulk order imports.
 * Publishes {@link io.pond.commerce.OrderPlaced}, {@link io.pond.commerce.OrderPaid},
 * {@link io.pond.commerce.OrderCompleted}, {@link io.pond.commerce.OrderCancelled} and
 * {@link io.pond.commerce.OrderRefunded} in the transaction that stored the change.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Commerce")
package io.pond.commerce;
