package io.pond.commerce.order;

import io.pond.commerce.order.domain.CanonicalOrder;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderLine;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.commerce.order.domain.OrderTimes;
import io.pond.commerce.order.domain.Refund;
import io.pond.commerce.order.domain.RefundState;
import io.pond.commerce.order.domain.Stamped;
import io.pond.platform.Identifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads canonical orders from the commerce tables, a set of them at a time. */
final class OrderRows {

  static final String HEADER_COLUMNS =
      "id, channel, shop_id, platform_order_id, status, raw_status, status_at, paid_fen, paid_fen_at, discount_fen,"
          + " discount_fen_at, shipping_fen, shipping_fen_at, refunded_fen, lines_at, created_at, paid_at, shipped_at,"
          + " delivered_at, completed_at, ended_at, modified_at, raw_payload, first_seen_at, updated_at";

  /** An order as stored: Pond's id, the canonical order, and when Pond first and last saw it. */
  record Stored(long id, CanonicalOrder order, Instant firstSeenAt, Instant updatedAt) {}

  private OrderRows() {}

  static OffsetDateTime ts(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  /** Loads the orders with these keys, locking their rows when {@code forUpdate}. */
  static Map<OrderKey, Stored> load(JdbcTemplate jdbc, OrderPii pii, Collection<OrderKey> keys, boolean forUpdate) {
    Map<String, List<String>> byShop = new java.util.TreeMap<>(); // sorted: rows are locked in one global order
    for (OrderKey k : keys) {
      byShop.computeIfAbsent(k.channel().wire() + "\u0000" + k.shopId(), x -> new ArrayList<>()).add(k.platformOrderId());
    }
    List<Header> headers = new ArrayList<>();
    for (var shop : byShop.entrySet()) {
      String[] cs = shop.getKey().split("\u0000", 2);
      for (List<String> chunk : chunks(shop.getValue().stream().sorted().toList())) {
        headers.addAll(
            jdbc.query(
                c -> {
                  PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT " + HEADER_COLUMNS + " FROM commerce_order WHERE channel = ? AND shop_id = ?"
                              + " AND platform_order_id IN (" + placeholders(chunk.size()) + ")"
                              + " ORDER BY platform_order_id" + (forUpdate ? " FOR UPDATE" : ""));
                  ps.setString(1, cs[0]);
                  ps.setString(2, cs[1]);
                  bind(ps, 3, chunk);
                  return ps;
                },
                (rs, n) -> header(rs)));
      }
    }
    return assemble(jdbc, pii, headers, true);
  }

  /** @param withPayload whether to open the raw payloads (else the orders have none) */
  static Map<OrderKey, Stored> assemble(JdbcTemplate jdbc, OrderPii pii, List<Header> headers, boolean withPayload) {
    Map<OrderKey, Stored> out = new HashMap<>();
    if (headers.isEmpty()) {
      return out;
    }
    Map<Long, List<OrderLine>> lines = new HashMap<>();
    Map<Long, List<Identifier>> buyers = new HashMap<>();
    Map<Long, List<Refund>> refunds = new HashMap<>();
    for (List<Long> ids : chunks(headers.stream().map(Header::id).toList())) {
      children(jdbc, pii, ids, lines, buyers, refunds);
    }
    for (Header h : headers) {
      CanonicalOrder order =
          new CanonicalOrder(
              h.key(),
              h.status(),
              h.rawStatus(),
              h.statusAt(),
              h.paid(),
              h.discount(),
              h.shipping(),
              h.linesAt() == null ? null : new Stamped<>(lines.getOrDefault(h.id(), List.of()), h.linesAt()),
              buyers.getOrDefault(h.id(), List.of()),
              h.times(),
              refunds.getOrDefault(h.id(), List.of()),
              h.modifiedAt(),
              withPayload ? pii.openPayload(h.rawPayload()) : null);
      out.put(h.key(), new Stored(h.id(), order, h.firstSeenAt(), h.updatedAt()));
    }
    return out;
  }

  private static void children(JdbcTemplate jdbc, OrderPii pii, List<Long> ids, Map<Long, List<OrderLine>> lines,
      Map<Long, List<Identifier>> buyers, Map<Long, List<Refund>> refunds) {
    jdbc.query(
        c -> byIds(c, "SELECT order_id, line_id, sku, title, category, quantity, unit_price_fen, paid_fen FROM"
            + " commerce_order_line WHERE order_id IN (:ids) ORDER BY order_id, position", ids),
        rs -> {
          lines.computeIfAbsent(rs.getLong(1), x -> new ArrayList<>())
              .add(new OrderLine(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                  rs.getLong(7), rs.getLong(8)));
        });
    jdbc.query(
        c -> byIds(c, "SELECT order_id, id_type, id_scope, id_value, value_enc FROM commerce_order_buyer WHERE order_id IN (:ids)", ids),
        rs -> {
          buyers.computeIfAbsent(rs.getLong(1), x -> new ArrayList<>())
              .add(pii.openBuyer(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        });
    jdbc.query(
        c -> byIds(c, "SELECT order_id, refund_id, line_id, state, amount_fen, modified_at FROM commerce_refund"
            + " WHERE order_id IN (:ids)", ids),
        rs -> {
          refunds.computeIfAbsent(rs.getLong(1), x -> new ArrayList<>())
              .add(new Refund(rs.getString(2), rs.getString(3), RefundState.valueOf(rs.getString(4)), rs.getLong(5),
                  instant(rs, "modified_at")));
        });
  }

  /**
   * PERF: lookups go in IN lists of at most {@value #IN_CHUNK} values. H2 finds each value through the
   * index but then re-checks every row against the whole parameter list, linearly; short lists keep
   * that cheap (1,000-value lists made bulk imports ten times slower).
   */
  static final int IN_CHUNK = 50;

  static <T> List<List<T>> chunks(List<T> values) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i += IN_CHUNK) {
      out.add(values.subList(i, Math.min(values.size(), i + IN_CHUNK)));
    }
    return out;
  }

  private static PreparedStatement byIds(Connection c, String sql, List<Long> ids) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql.replace(":ids", placeholders(ids.size())));
    bind(ps, 1, ids);
    return ps;
  }

  // PERF: explicit IN lists, not "= ANY(?)" with an array: H2 cannot use an index for the array form.
  static String placeholders(int n) {
    return n == 0 ? "NULL" : "?" + ", ?".repeat(n - 1);
  }

  static void bind(PreparedStatement ps, int first, List<?> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setObject(first + i, values.get(i));
    }
  }

  record Header(
      long id,
      OrderKey key,
      OrderStatus status,
      String rawStatus,
      Instant statusAt,
      Stamped<Long> paid,
      Stamped<Long> discount,
      Stamped<Long> shipping,
      Instant linesAt,
      OrderTimes times,
      Instant modifiedAt,
      String rawPayload,
      Instant firstSeenAt,
      Instant updatedAt) {}

  static Header header(ResultSet rs) throws SQLException {
    return new Header(
        rs.getLong("id"),
        new OrderKey(
            Channel.fromWire(rs.getString("channel")).orElseThrow(), rs.getString("shop_id"), rs.getString("platform_order_id")),
        OrderStatus.valueOf(rs.getString("status")),
        rs.getString("raw_status"),
        instant(rs, "status_at"),
        stamped(rs, "paid_fen"),
        stamped(rs, "discount_fen"),
        stamped(rs, "shipping_fen"),
        instant(rs, "lines_at"),
        new OrderTimes(
            instant(rs, "created_at"),
            instant(rs, "paid_at"),
            instant(rs, "shipped_at"),
            instant(rs, "delivered_at"),
            instant(rs, "completed_at"),
            instant(rs, "ended_at")),
        instant(rs, "modified_at"),
        rs.getString("raw_payload"),
        instant(rs, "first_seen_at"),
        instant(rs, "updated_at"));
  }

  private static Stamped<Long> stamped(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    if (rs.wasNull()) {
      return null;
    }
    return new Stamped<>(value, instant(rs, column + "_at"));
  }
}
