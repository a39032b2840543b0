package io.pond.commerce;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Aggregates of commerce's paid orders for dashboards (the analytics module): paid orders and money
 * per local day and channel. Days are local dates in the given zone (the brand's), as epoch days;
 * the grouping is done by the database over {@code paid_at} with the zone's UTC offset, one query per
 * stretch of constant offset (a zone without daylight saving time needs one).
 */
@Component
public class OrderStatistics {

  /** Orders paid on one local day in one channel, their paid money and what has been refunded of it, in fen. */
  public record ChannelDay(long epochDay, String channel, long orders, long paidFen, long refundedFen) {}

  private final JdbcClient jdbc;

  OrderStatistics(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Paid orders with {@code from <= paid_at < to}, by local day and channel, in day then channel order.
   *
   * @param channels only these channels when present (a caller's data scope); every channel when empty
   */
  public List<ChannelDay> paidByDay(Instant from, Instant to, ZoneId zone, Optional<Set<String>> channels) {
    Map<String, long[]> sums = new HashMap<>();
    for (OffsetStretch stretch : OffsetStretch.split(from, to, zone)) {
      StringBuilder sql = new StringBuilder(
          "SELECT d, channel, COUNT(*) AS orders, SUM(paid_fen) AS paid, SUM(refunded_fen) AS refunded FROM ("
              + " SELECT CAST(FLOOR((EXTRACT(EPOCH FROM paid_at) + " + stretch.offsetSeconds() + ") / 86400) AS BIGINT) AS d,"
              + " channel, COALESCE(paid_fen, 0) AS paid_fen, refunded_fen"
              + " FROM commerce_order WHERE paid_at >= :from AND paid_at < :to");
      Map<String, Object> params = new HashMap<>();
      params.put("from", java.time.OffsetDateTime.ofInstant(stretch.from(), java.time.ZoneOffset.UTC));
      params.put("to", java.time.OffsetDateTime.ofInstant(stretch.to(), java.time.ZoneOffset.UTC));
      if (channels.isPresent()) {
        if (channels.get().isEmpty()) {
          return List.of();
        }
        sql.append(" AND channel IN (:channels)");
        params.put("channels", channels.get());
      }
      sql.append(") x GROUP BY d, channel");
      jdbc.sql(sql.toString()).params(params).query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
        long[] s = sums.computeIfAbsent(rs.getLong("d") + "\u0000" + rs.getString("channel"), k -> new long[3]);
        s[0] += rs.getLong("orders");
        s[1] += rs.getLong("paid");
        s[2] += rs.getLong("refunded");
      });
    }
    List<ChannelDay> days = new ArrayList<>();
    sums.forEach((key, s) -> {
      int cut = key.indexOf('\u0000');
      days.add(new ChannelDay(Long.parseLong(key.substring(0, cut)), key.substring(cut + 1), s[0], s[1], s[2]));
    });
    days.sort(java.util.Comparator.comparingLong(ChannelDay::epochDay).thenComparing(ChannelDay::channel));
    return days;
  }

  /** A stretch of time over which a zone keeps one UTC offset. */
  record OffsetStretch(Instant from, Instant to, int offsetSeconds) {
    static List<OffsetStretch> split(Instant from, Instant to, ZoneId zone) {
      List<OffsetStretch> stretches = new ArrayList<>();
      var rules = zone.getRules();
      Instant start = from;
      while (start.isBefore(to)) {
        var next = rules.nextTransition(start);
        Instant end = next == null || !next.getInstant().isBefore(to) ? to : next.getInstant();
        stretches.add(new OffsetStretch(start, end, rules.getOffset(start).getTotalSeconds()));
        start = end;
      }
      return stretches;
    }
  }
}
