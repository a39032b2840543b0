package io.pond.commerce.order;

import io.pond.commerce.order.domain.Channel;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Payloads that could not become orders — malformed, an unknown status, a missing field — kept with
 * the reason so that an operator can see, fix and replay them. Nothing is dropped silently. Payloads are
 * kept deflated and sealed ({@link OrderPii}).
 */
@Component
public class DeadLetters {

  /** Where a dead letter came from. */
  public enum Source {
    HOOK,
    API,
    IMPORT
  }

  public record DeadLetter(long id, String channel, String shopId, String source, String reason, String payload, Instant receivedAt) {}

  /** A payload to quarantine. */
  public record Entry(Channel channel, String shopId, Source source, String reason, String payload) {}

  private static final int MAX_REASON = 1000;
  private static final int MAX_PAYLOAD = 1_000_000;

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final OrderPii pii;

  DeadLetters(JdbcTemplate jdbc, Clock clock, OrderPii pii) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.pii = pii;
  }

  @Transactional
  public void record(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    var now = OrderRows.ts(clock.instant());
    jdbc.batchUpdate(
        "INSERT INTO commerce_dead_letter (channel, shop_id, source, reason, payload, received_at) VALUES (?, ?, ?, ?, ?, ?)",
        entries,
        entries.size(),
        (ps, e) -> {
          ps.setString(1, e.channel().wire());
          ps.setString(2, e.shopId());
          ps.setString(3, e.source().name().toLowerCase(java.util.Locale.ROOT));
          ps.setString(4, cut(e.reason(), MAX_REASON));
          ps.setString(5, pii.sealDeadLetter(e.payload() == null ? "" : e.payload(), MAX_PAYLOAD)); // it may hold buyers' contacts
          ps.setObject(6, now);
        });
  }

  public void record(Entry entry) {
    record(List.of(entry));
  }

  /** The newest dead letters first, optionally of one channel, within the caller's channels ({@code null}: all). */
  public List<DeadLetter> list(Channel channel, java.util.Set<String> channels, int offset, int limit) {
    List<Object> args = new java.util.ArrayList<>();
    String where = where(channel, channels, args);
    args.add(limit);
    args.add(offset);
    return jdbc.query(
        "SELECT id, channel, shop_id, source, reason, payload, received_at FROM commerce_dead_letter" + where
            + " ORDER BY id DESC LIMIT ? OFFSET ?",
        (rs, n) ->
            new DeadLetter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), pii.openPayload(rs.getString(6)),
                OrderRows.instant(rs, "received_at")),
        args.toArray());
  }

  public long count(Channel channel, java.util.Set<String> channels) {
    List<Object> args = new java.util.ArrayList<>();
    String where = where(channel, channels, args);
    return jdbc.queryForObject("SELECT count(*) FROM commerce_dead_letter" + where, Long.class, args.toArray());
  }

  private static String where(Channel channel, java.util.Set<String> channels, List<Object> args) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    if (channel != null) {
      where.append(" AND channel = ?");
      args.add(channel.wire());
    }
    OrderQueries.restrict(where, "channel", channels, args);
    return where.toString();
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
