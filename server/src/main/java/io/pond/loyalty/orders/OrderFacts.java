package io.pond.loyalty.orders;

import io.pond.commerce.OrderCancelled;
import io.pond.commerce.OrderCompleted;
import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrderRefunded;
import io.pond.platform.Identifier;
import io.pond.platform.pii.PiiCipher;
import io.pond.platform.storage.InLists;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
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
  private final JdbcTemplate template;
  private final PiiCipher cipher;
  private final Clock clock;
  private final TransactionTemplate tx;

  OrderFacts(JdbcClient jdbc, JdbcTemplate template, PiiCipher cipher, Clock clock, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.template = template;
    this.cipher = cipher;
    this.clock = clock;
    this.tx = new TransactionTemplate(transactions);
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

  /**
   * Records the facts of a bulk-loaded chunk of order events — the same as {@link #ensure} and one
   * fact per event, in order — in one transaction of a few batched statements; answers the row ids of
   * the orders concerned, in the order first seen. An order seen for the first time is inserted with
   * its facts and, when {@code buyerOf} knows the buyer of a paid order, attributed in the same row.
   *
   * <p>PERF: one event at a time was a handful of auto-committed statements per order, and on H2 every
   * commit writes the changed B-tree pages to the file: most of a bulk import's listener time, and
   * gigabytes of file growth. Inserting a new order and then updating it (paid, completed, attributed)
   * moved its entry in the index on (person_id, paid_at) twice more: the updates were half of this.
   */
  List<Long> recordAll(List<OrderEvent> events, Function<List<Identifier>, Optional<Integer>> buyerOf) {
    List<OrderEvent> facts = events.stream().filter(OrderFacts::isFact).toList();
    if (facts.isEmpty()) {
      return List.of();
    }
    Map<Long, OrderEvent> first = new LinkedHashMap<>();
    facts.forEach(e -> first.putIfAbsent(e.orderId(), e));
    return tx.execute(
        status -> {
          Map<Long, Long> ids = idsOf(first.keySet());
          Map<Long, NewOrder> fresh = new LinkedHashMap<>();
          for (OrderEvent e : facts) {
            if (!ids.containsKey(e.orderId())) {
              fresh.computeIfAbsent(e.orderId(), k -> new NewOrder(e)).add(e);
            }
          }
          List<OrderEvent> pending = new ArrayList<>(facts);
          if (!fresh.isEmpty()) {
            List<NewOrder> rows = List.copyOf(fresh.values());
            Timestamp now = Timestamp.from(clock.instant());
            int[][] counts = template.batchUpdate(
                "INSERT INTO loyalty_order (commerce_order_id, channel, shop_id, platform_order_id, buyers_enc, first_seen_at,"
                    + " paid_fen, paid_at, completed_at, cancelled_at, person_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING", // a concurrent event of the same order may insert it first
                rows,
                rows.size(),
                (ps, o) -> {
                  OrderEvent e = o.first;
                  ps.setLong(1, e.orderId());
                  ps.setString(2, e.channel());
                  ps.setString(3, e.shopId());
                  ps.setString(4, e.platformOrderId());
                  ps.setString(5, cipher.encrypt(JSON.writeValueAsString(o.buyers())));
                  ps.setTimestamp(6, now);
                  ps.setObject(7, o.paidFen, Types.BIGINT);
                  ps.setTimestamp(8, ts(o.paidAt));
                  ps.setTimestamp(9, ts(o.completedAt));
                  ps.setTimestamp(10, ts(o.cancelledAt));
                  ps.setObject(11, o.paidAt == null ? null : buyerOf.apply(o.buyers()).orElse(null), Types.INTEGER);
                });
            Set<Long> inserted = new HashSet<>();
            int i = 0;
            for (int[] batch : counts) {
              for (int count : batch) {
                if (count != 0) {
                  inserted.add(rows.get(i).first.orderId());
                }
                i++;
              }
            }
            // the inserted rows hold their facts but refunds; the others' facts go on as for a known order
            pending.removeIf(e -> inserted.contains(e.orderId()) && !(e instanceof OrderRefunded));
            ids.putAll(idsOf(fresh.keySet()));
          }
          List<Object[]> paid = new ArrayList<>();
          List<Object[]> completed = new ArrayList<>();
          List<Object[]> cancelled = new ArrayList<>();
          List<Object[]> refunds = new ArrayList<>();
          for (OrderEvent e : pending) {
            long id = ids.get(e.orderId());
            switch (e) {
              case OrderPaid p -> paid.add(new Object[] {p.paidFen(), ts(p.paidAt()), id});
              case OrderCompleted c -> completed.add(new Object[] {ts(c.completedAt()), id});
              case OrderCancelled c -> cancelled.add(new Object[] {ts(c.cancelledAt()), id});
              case OrderRefunded r -> refunds.add(new Object[] {id, r.totalRefundedFen(), r.refundedFen(), ts(r.refundedAt())});
              default -> {}
            }
          }
          batch("UPDATE loyalty_order SET paid_fen = ?, paid_at = ? WHERE id = ? AND paid_at IS NULL", paid);
          batch("UPDATE loyalty_order SET completed_at = ? WHERE id = ? AND completed_at IS NULL", completed);
          batch("UPDATE loyalty_order SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL", cancelled);
          batch("INSERT INTO loyalty_order_refund (order_id, total_fen, refunded_fen, refunded_at) VALUES (?, ?, ?, ?)"
              + " ON CONFLICT DO NOTHING", refunds); // a known increase of the refunded total changes nothing
          return first.keySet().stream().map(ids::get).toList();
        });
  }

  /** An order first seen in a chunk: its first event and its facts folded in event order (the first of each kind wins). */
  private static final class NewOrder {
    final OrderEvent first;
    Long paidFen;
    Instant paidAt;
    Instant completedAt;
    Instant cancelledAt;

    NewOrder(OrderEvent first) {
      this.first = first;
    }

    void add(OrderEvent e) {
      switch (e) {
        case OrderPaid p when paidAt == null -> {
          paidFen = p.paidFen();
          paidAt = p.paidAt();
        }
        case OrderCompleted c when completedAt == null -> completedAt = c.completedAt();
        case OrderCancelled c when cancelledAt == null -> cancelledAt = c.cancelledAt();
        default -> {}
      }
    }

    List<Identifier> buyers() {
      return first.buyers() == null ? List.of() : first.buyers();
    }
  }

  /** The events {@link OrderEarnings} records: all but placements, and cancellations of unpaid orders (they earned nothing). */
  private static boolean isFact(OrderEvent e) {
    return switch (e) {
      case OrderPaid p -> true;
      case OrderCompleted c -> true;
      case OrderRefunded r -> true;
      case OrderCancelled c -> c.wasPaid();
      default -> false;
    };
  }

  private void batch(String sql, List<Object[]> rows) {
    if (!rows.isEmpty()) {
      template.batchUpdate(sql, rows);
    }
  }

  /** Row ids by commerce order id, for those recorded. */
  private Map<Long, Long> idsOf(Collection<Long> commerceOrderIds) {
    Map<Long, Long> out = new HashMap<>();
    for (List<Long> chunk : InLists.chunks(List.copyOf(commerceOrderIds))) {
      jdbc.sql("SELECT commerce_order_id, id FROM loyalty_order WHERE commerce_order_id IN (" + InLists.placeholders(chunk.size()) + ")")
          .params(chunk.toArray())
          .query(rs -> {
            out.put(rs.getLong(1), rs.getLong(2));
          });
    }
    return out;
  }

  /** The orders with these row ids (those that exist), in the order given. */
  List<Order> findAll(List<Long> ids) {
    Map<Long, Order> byId = new HashMap<>();
    for (List<Long> chunk : InLists.chunks(ids)) {
      jdbc.sql("SELECT * FROM loyalty_order WHERE id IN (" + InLists.placeholders(chunk.size()) + ")")
          .params(chunk.toArray())
          .query(this::order)
          .list()
          .forEach(o -> byId.put(o.id(), o));
    }
    return ids.stream().map(byId::get).filter(o -> o != null).toList();
  }

  /** Attributes orders (row id → person) not attributed yet, in one transaction. */
  void attributedAll(Map<Long, Integer> persons) {
    if (persons.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>();
    persons.forEach((id, person) -> rows.add(new Object[] {person, id}));
    tx.executeWithoutResult(status -> batch(ATTRIBUTE, rows));
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

  // PERF: not "WHERE id = ? AND person_id IS NULL": H2 then walks the index on (person_id, paid_at) through
  // every unattributed order instead of taking the primary key.
  private static final String ATTRIBUTE = "UPDATE loyalty_order SET person_id = COALESCE(person_id, ?) WHERE id = ?";

  void attributed(long id, int personId) {
    jdbc.sql(ATTRIBUTE).params(personId, id).update();
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
