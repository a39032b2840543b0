package io.pond.loyalty.orders;

import io.pond.platform.Identifier;
import io.pond.platform.pii.PiiCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What loyalty knows of each commerce order: the facts of its events (paid, completed, cancelled,
 * refunds), which may arrive in any order, and which person it earns for in each program. Recording a
 * fact is idempotent: a redelivered event changes nothing.
 */
@Component
public class OrderFacts {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<Identifier>> IDENTIFIERS = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final PiiCipher cipher;
  private final Clock clock;

  OrderFacts(JdbcClient jdbc, PiiCipher cipher, Clock clock) {
    this.jdbc = jdbc;
    this.cipher = cipher;
    this.clock = clock;
  }

  /** One order as loyalty saw it. {@code personId} is the buyer's person once identity knew it. */
  public record Order(
      long id,
      long commerceOrderId,
      String channel,
      String shopId,
      String platformOrderId,
      List<Identifier> buyers,
      Long paidFen,
      Instant paidAt,
      Instant completedAt,
      Instant cancelledAt,
      Integer personId) {

    public boolean paid() {
      return paidAt != null && paidFen != null;
    }
  }

  /** A refund as commerce reported it: the order's refunded total went up to {@code totalFen} by {@code refundedFen}. */
  public record Refund(long totalFen, long refundedFen, Instant refundedAt) {}

  /** Who an order earns for in a program: {@code buyer} (a member bought it) or {@code claim} (a member claimed it). */
  public record Earning(long programId, int personId, String via) {}

  /** The order's row, created on its first event; returns its id. */
  long ensure(long commerceOrderId, String channel, String shopId, String platformOrderId, List<Identifier> buyers) {
    Optional<Long> id = idOf(commerceOrderId);
    if (id.isPresent()) {
      return id.get();
    }
    try {
      jdbc.sql(
              "INSERT INTO loyalty_order (commerce_order_id, channel, shop_id, platform_order_id, buyers_enc, first_seen_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")
          .params(commerceOrderId, channel, shopId, platformOrderId, cipher.encrypt(JSON.writeValueAsString(buyers == null ? List.of() : buyers)),
              Timestamp.from(clock.instant()))
          .update();
    } catch (DuplicateKeyException concurrent) {
      // the same order's other event recorded it meanwhile
    }
    return idOf(commerceOrderId).orElseThrow();
  }

  private Optional<Long> idOf(long commerceOrderId) {
    return jdbc.sql("SELECT id FROM loyalty_order WHERE commerce_order_id = ?").param(commerceOrderId).query(Long.class).optional();
  }

  void paid(long id, long paidFen, Instant at) {
    jdbc.sql("UPDATE loyalty_order SET paid_fen = ?, paid_at = ? WHERE id = ? AND paid_at IS NULL").params(paidFen, ts(at), id).update();
  }

  void completed(long id, Instant at) {
    jdbc.sql("UPDATE loyalty_order SET completed_at = ? WHERE id = ? AND completed_at IS NULL").params(ts(at), id).update();
  }

  void cancelled(long id, Instant at) {
    jdbc.sql("UPDATE loyalty_order SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL").params(ts(at), id).update();
  }

  void refunded(long id, long totalFen, long refundedFen, Instant at) {
    try {
      jdbc.sql("INSERT INTO loyalty_order_refund (order_id, total_fen, refunded_fen, refunded_at) VALUES (?, ?, ?, ?)")
          .params(id, totalFen, refundedFen, ts(at))
          .update();
    } catch (DuplicateKeyException redelivered) {
      // this increase of the refunded total is known already
    }
  }

  void attributed(long id, int personId) {
    jdbc.sql("UPDATE loyalty_order SET person_id = ? WHERE id = ? AND person_id IS NULL").params(personId, id).update();
  }

  public Optional<Order> find(long id) {
    return jdbc.sql("SELECT * FROM loyalty_order WHERE id = ?").param(id).query(this::order).optional();
  }

  /** Orders with this channel and platform order number (several only when shops reuse numbers). */
  public List<Order> byNumber(String channel, String platformOrderId) {
    return jdbc.sql("SELECT * FROM loyalty_order WHERE platform_order_id = ? AND channel = ? ORDER BY id")
        .params(platformOrderId, channel)
        .query(this::order)
        .list();
  }

  /** Paid orders whose buyer identity did not know yet, paid since {@code since}. */
  List<Long> unattributed(Instant since, int limit) {
    return jdbc.sql("SELECT id FROM loyalty_order WHERE person_id IS NULL AND paid_at >= ? ORDER BY id LIMIT ?")
        .params(ts(since), limit)
        .query(Long.class)
        .list();
  }

  public List<Refund> refunds(long id) {
    return jdbc.sql("SELECT total_fen, refunded_fen, refunded_at FROM loyalty_order_refund WHERE order_id = ? ORDER BY total_fen")
        .param(id)
        .query((rs, n) -> new Refund(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant()))
        .list();
  }

  public Optional<Earning> earning(long orderId, long programId) {
    return jdbc.sql("SELECT program_id, person_id, via FROM loyalty_order_earning WHERE order_id = ? AND program_id = ?")
        .params(orderId, programId)
        .query((rs, n) -> new Earning(rs.getLong(1), rs.getInt(2), rs.getString(3)))
        .optional();
  }

  /**
   * Records who the order earns for in the program, unless someone already does (then that one is
   * answered): an order earns once per program, whether its buyer or a claiming member came first.
   */
  public Earning earnFor(long orderId, long programId, int personId, String via) {
    try {
      jdbc.sql("INSERT INTO loyalty_order_earning (order_id, program_id, person_id, via, at) VALUES (?, ?, ?, ?, ?)")
          .params(orderId, programId, personId, via, ts(clock.instant()))
          .update();
    } catch (DuplicateKeyException taken) {
      // an earlier earner keeps it
    }
    return earning(orderId, programId).orElseThrow();
  }

  private Order order(ResultSet rs, int n) throws SQLException {
    return new Order(
        rs.getLong("id"),
        rs.getLong("commerce_order_id"),
        rs.getString("channel"),
        rs.getString("shop_id"),
        rs.getString("platform_order_id"),
        JSON.readValue(cipher.decrypt(rs.getString("buyers_enc")), IDENTIFIERS),
        (Long) rs.getObject("paid_fen", Long.class),
        instant(rs.getTimestamp("paid_at")),
        instant(rs.getTimestamp("completed_at")),
        instant(rs.getTimestamp("cancelled_at")),
        (Integer) rs.getObject("person_id", Integer.class));
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  private static Timestamp ts(Instant at) {
    return at == null ? null : Timestamp.from(at);
  }
}
