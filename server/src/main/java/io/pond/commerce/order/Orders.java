package io.pond.commerce.order;

import static io.pond.commerce.order.OrderRows.setLong;
import static io.pond.commerce.order.OrderRows.ts;

import io.pond.commerce.OrderCancelled;
import io.pond.commerce.OrderCompleted;
import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrderPlaced;
import io.pond.commerce.OrderRefunded;
import io.pond.commerce.OrdersImported;
import io.pond.commerce.order.domain.CanonicalOrder;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.MergeOutcome;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderLine;
import io.pond.commerce.order.domain.OrderMergePolicy;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderTransition;
import io.pond.commerce.order.domain.Refund;
import io.pond.commerce.order.domain.Stamped;
import io.pond.platform.Identifier;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The order store. {@link #upsert} folds channel messages into canonical orders with
 * {@link OrderMergePolicy}, idempotently and safely under concurrent deliveries of the same order,
 * and publishes the module events in the same transaction.
 *
 * <p>Race safety: rows are locked in key order ({@code SELECT … FOR UPDATE}), new orders are inserted
 * with {@code ON CONFLICT DO NOTHING}; an insert that lost a race to a concurrent delivery re-reads
 * the winner's row under lock and merges into it.
 */
@Component
public class Orders {

  private final JdbcTemplate jdbc;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final EventBatches batches;
  private final OrderPii pii;

  private final boolean postgres;

  Orders(JdbcTemplate jdbc, ApplicationEventPublisher events, Clock clock, EventBatches batches, OrderPii pii) {
    this.jdbc = jdbc;
    this.events = events;
    this.clock = clock;
    this.batches = batches;
    this.pii = pii;
    this.postgres =
        Boolean.TRUE.equals(jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")));
  }

  /** How many orders a batch created, changed and left as they were. */
  public record UpsertSummary(int created, int changed, int unchanged) {
    public UpsertSummary plus(UpsertSummary o) {
      return new UpsertSummary(created + o.created, changed + o.changed, unchanged + o.unchanged);
    }

    public int orders() {
      return created + changed + unchanged;
    }
  }

  /**
   * Applies messages (in the order given, several may name one order) in one transaction and publishes
   * each order event on its own: the path of deliveries (pushes, polls, POS calls).
   */
  @Transactional
  public UpsertSummary upsert(List<OrderMessage> messages) {
    Stored stored = store(messages, false);
    for (Result r : stored.results()) {
      events(r).forEach(events::publishEvent);
    }
    return stored.summary();
  }

  /**
   * Applies a chunk of a bulk load in one transaction, like {@link #upsert}, but publishes its order
   * events as one {@link OrdersImported} (their payload stored by {@link EventBatches}) instead of one
   * publication per event.
   *
   * @param mostlyNew a hint (e.g. from the previous chunk): when most orders are new, they are inserted
   *     straight away and only those that turn out to exist are read and merged; otherwise existing
   *     orders are read first. Either way the result is the same.
   */
  @Transactional
  public UpsertSummary importChunk(List<OrderMessage> messages, boolean mostlyNew) {
    Stored stored = store(messages, mostlyNew);
    List<OrderEvent> chunk = new ArrayList<>();
    int orders = 0;
    for (Result r : stored.results()) {
      List<OrderEvent> own = events(r);
      if (!own.isEmpty()) {
        orders++;
        chunk.addAll(own);
      }
    }
    if (!chunk.isEmpty()) {
      long batchId = batches.store(chunk, orders);
      events.publishEvent(new OrdersImported(batchId, orders, chunk.size(), clock.instant()));
    }
    return stored.summary();
  }

  /** Deletes the event batches of bulk loads older than {@link io.pond.commerce.OrderEventBatches#RETENTION_DAYS}. */
  @Transactional
  public int pruneEventBatches() {
    return batches.prune();
  }

  private record Stored(List<Result> results, UpsertSummary summary) {}

  private Stored store(List<OrderMessage> messages, boolean insertFirst) {
    if (postgres) {
      // PERF: a bulk import starts on an empty table; a generic plan cached then (a sequential scan)
      // would be kept while the table grows. Custom plans see the table as it is.
      jdbc.execute("SET LOCAL plan_cache_mode = force_custom_plan");
    }
    Map<OrderKey, List<OrderMessage>> byKey = new TreeMap<>(); // key order = lock order: no deadlocks
    for (OrderMessage m : messages) {
      byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m);
    }
    // PERF: reading a chunk of new orders first finds nothing, at a fifth of the chunk's cost; inserting
    // first lets the unique key find the existing ones, which then take the concurrent-delivery path.
    Map<OrderKey, OrderRows.Stored> existing = insertFirst ? Map.of() : OrderRows.load(jdbc, pii, byKey.keySet(), true);
    Map<OrderKey, Result> results = merge(byKey, existing);

    List<Result> fresh = results.values().stream().filter(r -> r.before == null).toList();
    if (!fresh.isEmpty()) {
      List<OrderKey> lost = insertHeaders(fresh);
      if (!lost.isEmpty()) {
        // These orders exist (a concurrent delivery created them after our read, or we did not read):
        // merge into them.
        Map<OrderKey, List<OrderMessage>> retry = new TreeMap<>();
        lost.forEach(k -> retry.put(k, byKey.get(k)));
        Map<OrderKey, OrderRows.Stored> winners = OrderRows.load(jdbc, pii, lost, true);
        results.putAll(merge(retry, winners));
      }
      insertChildren(results.values().stream().filter(r -> r.before == null).toList());
    }
    List<Result> changed = results.values().stream().filter(r -> r.before != null && !r.after.equals(r.before)).toList();
    updateChanged(changed);
    int created = 0;
    int unchanged = 0;
    for (Result r : results.values()) {
      if (r.before == null) {
        created++;
      } else if (r.after.equals(r.before)) {
        unchanged++;
      }
    }
    return new Stored(List.copyOf(results.values()), new UpsertSummary(created, changed.size(), unchanged));
  }

  public Optional<CanonicalOrder> find(OrderKey key) {
    return Optional.ofNullable(OrderRows.load(jdbc, pii, List.of(key), false).get(key)).map(OrderRows.Stored::order);
  }

  private static final class Result {
    long id;
    final CanonicalOrder before;
    CanonicalOrder after;
    final List<OrderTransition> transitions = new ArrayList<>();

    Result(long id, CanonicalOrder before) {
      this.id = id;
      this.before = before;
      this.after = before;
    }
  }

  private static Map<OrderKey, Result> merge(Map<OrderKey, List<OrderMessage>> byKey, Map<OrderKey, OrderRows.Stored> existing) {
    Map<OrderKey, Result> results = new LinkedHashMap<>();
    for (var e : byKey.entrySet()) {
      OrderRows.Stored stored = existing.get(e.getKey());
      Result r = stored == null ? new Result(0, null) : new Result(stored.id(), stored.order());
      for (OrderMessage m : e.getValue()) {
        MergeOutcome outcome = OrderMergePolicy.apply(r.after, m);
        r.after = outcome.order();
        r.transitions.addAll(outcome.transitions());
      }
      results.put(e.getKey(), r);
    }
    return results;
  }

  private static final String INSERT_HEADER =
      "INSERT INTO commerce_order (channel, shop_id, platform_order_id, status, raw_status, status_at, paid_fen,"
          + " paid_fen_at, discount_fen, discount_fen_at, shipping_fen, shipping_fen_at, refunded_fen, lines_at,"
          + " created_at, paid_at, shipped_at, delivered_at, completed_at, ended_at, modified_at, raw_payload,"
          + " first_seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT DO NOTHING";

  /**
   * Inserts new orders and sets their ids from the generated keys; returns the keys that a concurrent
   * transaction inserted first (no generated key: {@code ON CONFLICT DO NOTHING} skipped them).
   */
  private List<OrderKey> insertHeaders(List<Result> fresh) {
    Instant now = clock.instant();
    Map<OrderKey, Result> byKey = new java.util.HashMap<>();
    fresh.forEach(r -> byKey.put(r.after.key(), r));
    jdbc.execute(
        (java.sql.Connection c) -> {
          try (PreparedStatement ps = c.prepareStatement(INSERT_HEADER, new String[] {"id", "channel", "shop_id", "platform_order_id"})) {
            for (Result r : fresh) {
              CanonicalOrder o = r.after;
              ps.setString(1, o.key().channel().wire());
              ps.setString(2, o.key().shopId());
              ps.setString(3, o.key().platformOrderId());
              int i = bindState(ps, 4, o, pii);
              ps.setObject(i++, ts(now));
              ps.setObject(i, ts(now));
              ps.addBatch();
            }
            ps.executeBatch();
            try (java.sql.ResultSet keys = ps.getGeneratedKeys()) {
              while (keys.next()) {
                OrderKey k = new OrderKey(Channel.fromWire(keys.getString(2)).orElseThrow(), keys.getString(3), keys.getString(4));
                Result r = byKey.remove(k);
                if (r != null) {
                  r.id = keys.getLong(1);
                }
              }
            }
          }
          return null;
        });
    return new ArrayList<>(byKey.keySet());
  }

  /** Binds status … raw_payload (19 parameters, the payload sealed) from {@code index}; returns the next index. */
  private static int bindState(PreparedStatement ps, int index, CanonicalOrder o, OrderPii pii) throws SQLException {
    int i = index;
    ps.setString(i++, o.status().name());
    ps.setString(i++, o.rawStatus());
    ps.setObject(i++, ts(o.statusAt()));
    i = bindStamped(ps, i, o.paid());
    i = bindStamped(ps, i, o.discount());
    i = bindStamped(ps, i, o.shipping());
    ps.setLong(i++, o.refundedFen());
    ps.setObject(i++, o.lines() == null ? null : ts(o.lines().at()));
    ps.setObject(i++, ts(o.times().createdAt()));
    ps.setObject(i++, ts(o.times().paidAt()));
    ps.setObject(i++, ts(o.times().shippedAt()));
    ps.setObject(i++, ts(o.times().deliveredAt()));
    ps.setObject(i++, ts(o.times().completedAt()));
    ps.setObject(i++, ts(o.times().endedAt()));
    ps.setObject(i++, ts(o.modifiedAt()));
    ps.setString(i++, pii.sealPayload(o.rawPayload()));
    return i;
  }

  private static int bindStamped(PreparedStatement ps, int i, Stamped<Long> value) throws SQLException {
    setLong(ps, i, value == null ? null : value.value());
    ps.setObject(i + 1, value == null ? null : ts(value.at()));
    return i + 2;
  }

  private record LineRow(long orderId, int position, OrderLine line) {}

  private record BuyerRow(long orderId, Identifier id) {}

  private record RefundRow(long orderId, Refund refund) {}

  private void insertChildren(List<Result> fresh) {
    List<LineRow> lines = new ArrayList<>();
    List<BuyerRow> buyers = new ArrayList<>();
    List<RefundRow> refunds = new ArrayList<>();
    for (Result r : fresh) {
      addLines(lines, r.id, r.after.lineList());
      r.after.buyers().forEach(b -> buyers.add(new BuyerRow(r.id, b)));
      r.after.refunds().forEach(x -> refunds.add(new RefundRow(r.id, x)));
    }
    insertLines(lines);
    insertBuyers(buyers);
    insertRefunds(refunds);
  }

  private static void addLines(List<LineRow> rows, long orderId, List<OrderLine> lines) {
    for (int i = 0; i < lines.size(); i++) {
      rows.add(new LineRow(orderId, i, lines.get(i)));
    }
  }

  private void insertLines(List<LineRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "INSERT INTO commerce_order_line (order_id, line_id, position, sku, title, category, quantity, unit_price_fen,"
            + " paid_fen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        rows.size(),
        (ps, r) -> {
          ps.setLong(1, r.orderId);
          ps.setString(2, r.line.lineId());
          ps.setInt(3, r.position);
          ps.setString(4, r.line.sku());
          ps.setString(5, r.line.title());
          ps.setString(6, r.line.category());
          ps.setInt(7, r.line.quantity());
          ps.setLong(8, r.line.unitPriceFen());
          ps.setLong(9, r.line.paidFen());
        });
  }

  private void insertBuyers(List<BuyerRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "INSERT INTO commerce_order_buyer (order_id, id_type, id_scope, id_value, value_enc) VALUES (?, ?, ?, ?, ?)",
        rows,
        rows.size(),
        (ps, r) -> {
          ps.setLong(1, r.orderId);
          ps.setString(2, r.id.type());
          ps.setString(3, r.id.scope());
          ps.setString(4, pii.storedValue(r.id));
          ps.setString(5, pii.sealedValue(r.id));
        });
  }

  private void insertRefunds(List<RefundRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "INSERT INTO commerce_refund (order_id, refund_id, line_id, state, amount_fen, modified_at) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
        rows.size(),
        (ps, r) -> {
          ps.setLong(1, r.orderId);
          ps.setString(2, r.refund.refundId());
          ps.setString(3, r.refund.lineId());
          ps.setString(4, r.refund.state().name());
          ps.setLong(5, r.refund.amountFen());
          ps.setObject(6, ts(r.refund.modifiedAt()));
        });
  }

  private void updateChanged(List<Result> changed) {
    if (changed.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    jdbc.batchUpdate(
        "UPDATE commerce_order SET status = ?, raw_status = ?, status_at = ?, paid_fen = ?, paid_fen_at = ?,"
            + " discount_fen = ?, discount_fen_at = ?, shipping_fen = ?, shipping_fen_at = ?, refunded_fen = ?,"
            + " lines_at = ?, created_at = ?, paid_at = ?, shipped_at = ?, delivered_at = ?, completed_at = ?,"
            + " ended_at = ?, modified_at = ?, raw_payload = ?, updated_at = ? WHERE id = ?",
        changed,
        changed.size(),
        (ps, r) -> {
          int i = bindState(ps, 1, r.after, pii);
          ps.setObject(i++, ts(now));
          ps.setLong(i, r.id);
        });
    List<LineRow> lines = new ArrayList<>();
    List<BuyerRow> buyers = new ArrayList<>();
    List<RefundRow> refunds = new ArrayList<>();
    List<Long> replacedLines = new ArrayList<>();
    List<Object[]> replacedRefunds = new ArrayList<>();
    for (Result r : changed) {
      if (!Objects.equals(r.before.lines(), r.after.lines())) {
        replacedLines.add(r.id);
        addLines(lines, r.id, r.after.lineList());
      }
      Set<Identifier> known = new HashSet<>(r.before.buyers());
      r.after.buyers().stream().filter(b -> !known.contains(b)).forEach(b -> buyers.add(new BuyerRow(r.id, b)));
      Set<Refund> knownRefunds = new HashSet<>(r.before.refunds());
      Set<String> knownIds = new HashSet<>();
      r.before.refunds().forEach(x -> knownIds.add(x.refundId()));
      for (Refund x : r.after.refunds()) {
        if (!knownRefunds.contains(x)) {
          if (knownIds.contains(x.refundId())) {
            replacedRefunds.add(new Object[] {r.id, x.refundId()});
          }
          refunds.add(new RefundRow(r.id, x));
        }
      }
    }
    if (!replacedLines.isEmpty()) {
      jdbc.batchUpdate("DELETE FROM commerce_order_line WHERE order_id = ?", replacedLines.stream().map(id -> new Object[] {id}).toList());
    }
    if (!replacedRefunds.isEmpty()) {
      jdbc.batchUpdate("DELETE FROM commerce_refund WHERE order_id = ? AND refund_id = ?", replacedRefunds);
    }
    insertLines(lines);
    insertBuyers(buyers);
    insertRefunds(refunds);
  }

  /** The order events of what happened to one order, in the order they happened. */
  private static List<OrderEvent> events(Result r) {
    CanonicalOrder o = r.after;
    OrderKey k = o.key();
    String channel = k.channel().wire();
    List<OrderEvent> out = new ArrayList<>(r.transitions.size());
    for (OrderTransition t : r.transitions) {
      OrderEvent event =
          switch (t) {
            case OrderTransition.Placed p ->
                new OrderPlaced(r.id, channel, k.shopId(), k.platformOrderId(), o.buyers(), o.status().name(), o.paidFen(),
                    firstNonNull(o.times().createdAt(), o.modifiedAt()));
            case OrderTransition.Paid p ->
                new OrderPaid(r.id, channel, k.shopId(), k.platformOrderId(), o.buyers(), o.paidFen(), o.discountFen(),
                    o.shippingFen(), firstNonNull(o.times().paidAt(), o.modifiedAt()),
                    o.lineList().stream().map(l -> l.category()).filter(c -> c != null && !c.isBlank()).distinct().toList());
            case OrderTransition.Completed c ->
                new OrderCompleted(r.id, channel, k.shopId(), k.platformOrderId(), o.buyers(), o.paidFen(), o.refundedFen(),
                    firstNonNull(o.times().completedAt(), o.modifiedAt()));
            case OrderTransition.Cancelled c ->
                new OrderCancelled(r.id, channel, k.shopId(), k.platformOrderId(), o.buyers(), c.status().name(), o.isPaid(),
                    o.paidFen(), o.refundedFen(), firstNonNull(o.times().endedAt(), o.modifiedAt()));
            case OrderTransition.Refunded x ->
                new OrderRefunded(r.id, channel, k.shopId(), k.platformOrderId(), o.buyers(), o.paidFen(), x.deltaFen(),
                    x.totalFen(), o.modifiedAt());
          };
      out.add(event);
    }
    return out;
  }

  private static Instant firstNonNull(Instant a, Instant b) {
    return a != null ? a : b;
  }
}
