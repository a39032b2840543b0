package io.pond.commerce.order;

import io.pond.commerce.order.OrderRows.Stored;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads orders for the API: one by id, or a filtered page, newest first. */
@Component
public class OrderQueries {

  /** Filters; null means "any". {@code from} inclusive, {@code to} exclusive, on the order's creation time. */
  public record Filter(
      Channel channel, String shopId, OrderStatus status, Identifier buyer, Instant from, Instant to, Set<String> channels) {

    /** No channel restriction (callers that see every channel). */
    public Filter(Channel channel, String shopId, OrderStatus status, Identifier buyer, Instant from, Instant to) {
      this(channel, shopId, status, buyer, from, to, null);
    }
  }

  public record Page(List<Stored> orders, long total, int page, int size) {}

  private final JdbcTemplate jdbc;
  private final OrderPii pii;

  OrderQueries(JdbcTemplate jdbc, OrderPii pii) {
    this.jdbc = jdbc;
    this.pii = pii;
  }

  public Optional<Stored> find(long id) {
    List<OrderRows.Header> headers =
        jdbc.query("SELECT " + OrderRows.HEADER_COLUMNS + " FROM commerce_order WHERE id = ?", (rs, n) -> OrderRows.header(rs), id);
    return OrderRows.assemble(jdbc, pii, headers, true).values().stream().findFirst();
  }

  /**
   * Appends {@code AND column IN (…)} for a caller limited to some channels ({@code channels} as
   * {@code DataScope#channels()} gives them, never empty; {@code null} means every channel).
   */
  static void restrict(StringBuilder where, String column, Set<String> channels, List<Object> args) {
    if (channels == null) {
      return;
    }
    where.append(" AND ").append(column).append(" IN (").append(String.join(", ", java.util.Collections.nCopies(channels.size(), "?"))).append(")");
    args.addAll(channels);
  }

  public Page search(Filter f, int page, int size) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (f.channel() != null) {
      where.append(" AND o.channel = ?");
      args.add(f.channel().wire());
    }
    restrict(where, "o.channel", f.channels(), args);
    if (f.shopId() != null) {
      where.append(" AND o.shop_id = ?");
      args.add(f.shopId());
    }
    if (f.status() != null) {
      where.append(" AND o.status = ?");
      args.add(f.status().name());
    }
    if (f.buyer() != null) {
      // a phone or e-mail is stored as its keyed hash: match the hashes the value may have
      List<String> values = pii.storedValuesOf(f.buyer());
      where.append(" AND EXISTS (SELECT 1 FROM commerce_order_buyer b WHERE b.order_id = o.id AND b.id_type = ? AND b.id_value IN (")
          .append(OrderRows.placeholders(values.size())).append(")");
      args.add(f.buyer().type());
      args.addAll(values);
      if (!f.buyer().scope().isEmpty()) {
        where.append(" AND b.id_scope = ?");
        args.add(f.buyer().scope());
      }
      where.append(")");
    }
    if (f.from() != null) {
      where.append(" AND COALESCE(o.created_at, o.modified_at) >= ?");
      args.add(OrderRows.ts(f.from()));
    }
    if (f.to() != null) {
      where.append(" AND COALESCE(o.created_at, o.modified_at) < ?");
      args.add(OrderRows.ts(f.to()));
    }
    long total = jdbc.queryForObject("SELECT count(*) FROM commerce_order o" + where, Long.class, args.toArray());
    List<Object> pageArgs = new ArrayList<>(args);
    pageArgs.add(size);
    pageArgs.add((long) page * size);
    List<OrderRows.Header> headers =
        jdbc.query(
            "SELECT " + OrderRows.HEADER_COLUMNS.replaceAll("(^|, )", "$1o.") + " FROM commerce_order o" + where
                + " ORDER BY o.id DESC LIMIT ? OFFSET ?",
            (rs, n) -> OrderRows.header(rs),
            pageArgs.toArray());
    List<Stored> orders =
        OrderRows.assemble(jdbc, pii, headers, true).values().stream().sorted(Comparator.comparingLong(Stored::id).reversed()).toList();
    return new Page(orders, total, page, size);
  }
}
