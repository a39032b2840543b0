package io.pond.loyalty;

import io.pond.loyalty.ledger.PointsLedger;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Order facts in, points out: the use case commerce's {@code OrderPaid}, {@code OrderCompleted} and
 * {@code OrderRefunded} events are wired to. Every call is idempotent on (channel, shop, order id[,
 * refund id]): replaying one changes nothing and answers what the first call did.
 */
@Component
public class OrderPoints {

  private final PointsLedger ledger;

  OrderPoints(PointsLedger ledger) {
    this.ledger = ledger;
  }

  /** One paid line of an order: the amount actually paid (after discounts) and its category. */
  public record Line(String category, long paidFen) {}

  /** An order was paid: its points are earned as pending. */
  public record PaidOrder(String program, PersonRef person, String channel, String shop, String orderId, List<Line> lines, Instant paidAt) {}

  /** An order completed (received/confirmed): its points become available after the return window. */
  public record CompletedOrder(String program, PersonRef person, String channel, String shop, String orderId, Instant completedAt) {}

  /** A refund of {@code refundedFen} (this refund only) on an order; claws points back by the program's policy. */
  public record RefundedOrder(
      String program, PersonRef person, String channel, String shop, String orderId, String refundId, long refundedFen, Instant refundedAt) {}

  /** What happened: {@code entryId} is 0 when nothing was posted; {@code replayed} when it had already been done. */
  public record Result(boolean posted, long entryId, long points, boolean replayed, String explanation) {}

  public Result paid(PaidOrder order) {
    return ledger.orderPaid(order);
  }

  public Result completed(CompletedOrder order) {
    return ledger.orderCompleted(order);
  }

  public Result refunded(RefundedOrder refund) {
    return ledger.orderRefunded(refund);
  }
}
