package io.pond.loyalty.ledger.domain;

import java.util.List;
import java.util.Locale;

/**
 * What a refund takes back (配置: 退款扣回策略). {@code only_pending}: only points of the order that
 * are still pending; {@code within_balance}: the order's points, then other available points, never
 * below zero (the rest is forgiven); {@code unlimited}: all of it, the balance may go negative.
 */
public enum RefundPolicy {
  ONLY_PENDING,
  WITHIN_BALANCE,
  UNLIMITED;

  public static RefundPolicy fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The refunded order's own lot. */
  public record OrderLot(long lotId, long remaining, boolean pending) {}

  /**
   * @param fromOrderLot points taken from the order's own lot
   * @param fromOtherLots points taken from other available lots
   * @param debt points owed beyond the balance (negative balance; only {@code unlimited})
   * @param forgiven points owed but not taken, by policy
   */
  public record Plan(long fromOrderLot, boolean orderLotPending, List<Lots.Allocation> fromOtherLots, long debt, long forgiven, String reason) {
    public long taken() {
      return fromOrderLot + Lots.sum(fromOtherLots) + debt;
    }
  }

  /** How to take back {@code owed} points of a refunded order. */
  public Plan plan(long owed, OrderLot orderLot, List<Lots.Balance> otherAvailableLots) {
    long fromOrder = orderLot == null ? 0 : Math.min(owed, orderLot.remaining());
    boolean pending = orderLot != null && orderLot.pending();
    return switch (this) {
      case ONLY_PENDING -> {
        if (!pending) {
          yield new Plan(0, false, List.of(), 0, owed,
              "only_pending: the order's points were already available, nothing taken back");
        }
        yield new Plan(fromOrder, true, List.of(), 0, owed - fromOrder,
            "only_pending: " + fromOrder + " pending points of the order taken back");
      }
      case WITHIN_BALANCE, UNLIMITED -> {
        List<Lots.Allocation> others = Lots.take(otherAvailableLots, owed - fromOrder);
        long shortfall = owed - fromOrder - Lots.sum(others);
        boolean unlimited = this == UNLIMITED;
        String reason =
            wire()
                + ": "
                + fromOrder
                + " from the order's points, "
                + Lots.sum(others)
                + " from other available points"
                + (shortfall == 0 ? "" : unlimited ? ", " + shortfall + " as a negative balance" : ", " + shortfall + " forgiven (balance exhausted)");
        yield new Plan(fromOrder, pending, others, unlimited ? shortfall : 0, unlimited ? 0 : shortfall, reason);
      }
    };
  }
}
