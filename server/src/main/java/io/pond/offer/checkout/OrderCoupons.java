package io.pond.offer.checkout;

import io.pond.commerce.OrderCancelled;
import io.pond.commerce.OrderRefunded;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Commerce's order facts applied to coupons: a cancel releases locks and gives coupons back, a refund
 * gives them back when the template's refund policy says so. Delivered after commerce's transaction
 * commits, through the durable publication registry; both are idempotent (a restored coupon is no
 * longer bound to the order).
 */
@Component
class OrderCoupons {

  private final Checkout checkout;

  OrderCoupons(Checkout checkout) {
    this.checkout = checkout;
  }

  @ApplicationModuleListener
  void on(OrderCancelled order) {
    checkout.orderCancelled(order.channel(), order.shopId(), order.platformOrderId(), order.wasPaid(), order.paidFen());
  }

  @ApplicationModuleListener
  void on(OrderRefunded order) {
    checkout.orderRefunded(order.channel(), order.shopId(), order.platformOrderId(), order.paidFen(), order.totalRefundedFen());
  }
}
