package io.pond.commerce.order;

import io.pond.commerce.OrderLookup;
import io.pond.commerce.OrderSummary;
import io.pond.commerce.order.OrderRows.Stored;
import io.pond.commerce.order.domain.CanonicalOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@link OrderLookup} over the order tables. */
@Component
class OrderLookups implements OrderLookup {

  private final JdbcTemplate jdbc;
  private final OrderPii pii;

  OrderLookups(JdbcTemplate jdbc, OrderPii pii) {
    this.jdbc = jdbc;
    this.pii = pii;
  }

  @Override
  public Optional<OrderSummary> find(long orderId) {
    return findAll(List.of(orderId)).stream().findFirst();
  }

  @Override
  public List<OrderSummary> findAll(Collection<Long> orderIds) {
    List<OrderSummary> out = new ArrayList<>();
    for (List<Long> chunk : OrderRows.chunks(List.copyOf(orderIds))) {
      List<OrderRows.Header> headers = jdbc.query(
          "SELECT " + OrderRows.HEADER_COLUMNS + " FROM commerce_order WHERE id IN (" + OrderRows.placeholders(chunk.size()) + ")",
          (rs, n) -> OrderRows.header(rs), chunk.toArray());
      OrderRows.assemble(jdbc, pii, headers, false).values().forEach(s -> out.add(summary(s)));
    }
    return out;
  }

  @Override
  public List<OrderSummary> page(long afterId, int limit) {
    List<OrderRows.Header> headers = jdbc.query(
        "SELECT " + OrderRows.HEADER_COLUMNS + " FROM commerce_order WHERE id > ? ORDER BY id LIMIT ?",
        (rs, n) -> OrderRows.header(rs), afterId, limit);
    return OrderRows.assemble(jdbc, pii, headers, false).values().stream()
        .sorted(Comparator.comparingLong(Stored::id)).map(OrderLookups::summary).toList();
  }

  static OrderSummary summary(Stored s) {
    CanonicalOrder o = s.order();
    // the same placed time as OrderPlaced announces: the platform's creation time, else the modified time
    Instant placed = o.times().createdAt() != null ? o.times().createdAt() : o.modifiedAt();
    return new OrderSummary(s.id(), o.key().channel().wire(), o.key().shopId(), o.key().platformOrderId(), o.status().name(),
        o.isPaid(), o.paidFen(), o.discountFen(), o.shippingFen(), o.refundedFen(), placed,
        o.times().paidAt(), o.times().completedAt(), o.times().endedAt(), o.modifiedAt(), o.buyers(),
        o.lineList().stream().map(l -> new OrderSummary.Line(l.lineId(), l.sku(), l.title(), l.category(), l.quantity(),
            l.unitPriceFen(), l.paidFen())).toList(),
        o.refunds().stream().map(r -> new OrderSummary.Refund(r.refundId(), r.lineId(), r.state().name(), r.amountFen(),
            r.modifiedAt())).toList());
  }
}
