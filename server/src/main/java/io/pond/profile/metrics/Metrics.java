package io.pond.profile.metrics;

import io.pond.commerce.OrderLookup;
import io.pond.commerce.OrderSummary;
import io.pond.platform.storage.InLists;
import io.pond.profile.config.ProfileProperties;
import io.pond.profile.metrics.domain.ClvModel;
import io.pond.profile.metrics.domain.MetricsCalculator;
import io.pond.profile.metrics.domain.OrderFact;
import io.pond.profile.metrics.domain.PersonMetrics;
import io.pond.profile.metrics.domain.RfmScoring;
import io.pond.profile.person.Attribution;
import io.pond.profile.person.PersonLocks;
import io.pond.profile.person.ProfileEvents;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Orders as the profile counts them and the metrics computed from them. Every order event refreshes
 * the order from commerce (its current state, so late or repeated events do no harm), attributes it
 * to a person through OneID and recomputes that person's metrics from their stored orders with
 * {@link MetricsCalculator}; {@link #recomputeAll} does the same for every order and person, so the
 * live path and a recompute agree by construction.
 */
@Component
public class Metrics {

  static final int PAGE = 500;

  /**
   * How long a change of orders waits in all for buyers OneID does not know yet (identity resolves them
   * next to this, on its own listener thread); those still unknown are left to {@link #attributePending}.
   */
  static final Duration BUYER_WAIT = Duration.ofSeconds(5);

  private final JdbcClient jdbc;
  private final OrderLookup orders;
  private final Attribution attribution;
  private final PersonLocks locks;
  private final ProfileEvents events;
  private final Clock clock;
  private final ProfileProperties settings;
  private final ClvModel clv;
  private final TransactionTemplate tx;

  private final JdbcTemplate template;

  Metrics(JdbcClient jdbc, JdbcTemplate template, OrderLookup orders, Attribution attribution, PersonLocks locks,
      ProfileEvents events, Clock clock, ProfileProperties settings, TransactionTemplate tx) {
    this.jdbc = jdbc;
    this.template = template;
    this.orders = orders;
    this.attribution = attribution;
    this.locks = locks;
    this.events = events;
    this.clock = clock;
    this.settings = settings;
    this.clv = settings.clv().model();
    this.tx = tx;
  }

  // ---- orders ------------------------------------------------------------------------------------

  /** An order changed in commerce: refresh it, attribute it, recompute whom it concerns. */
  public void orderChanged(long orderId) {
    ordersChanged(List.of(orderId));
  }

  /**
   * Orders changed in commerce (one, or a bulk load's chunk): read from commerce at once, stored with
   * batched statements, and each person concerned recomputed once, in one transaction.
   *
   * <p>PERF: one order at a time was about fifteen statements per order and a recompute per order of a
   * person who had several in the chunk.
   */
  public void ordersChanged(Collection<Long> orderIds) {
    List<OrderSummary> found = orders.findAll(orderIds);
    if (found.isEmpty()) {
      return;
    }
    Map<Long, Integer> attributed = attribution.personsOf(found, BUYER_WAIT);
    RfmScoring scoring = scoring();
    tx.executeWithoutResult(s -> {
      Map<Long, Integer> previous = personsOfOrders(found.stream().map(OrderSummary::orderId).toList());
      Map<Long, Integer> targets = new HashMap<>();
      TreeSet<Integer> concerned = new TreeSet<>();
      for (OrderSummary o : found) {
        Integer before = previous.get(o.orderId());
        Integer target = attributed.getOrDefault(o.orderId(), before);
        targets.put(o.orderId(), target);
        if (target != null) {
          concerned.add(target);
        }
        if (before != null) {
          concerned.add(before);
        }
      }
      locks.lock(concerned.stream().mapToInt(Integer::intValue).toArray());
      storeAll(found, targets, previous);
      recomputeLocked(concerned, scoring);
    });
  }

  /** The person of each stored order (a key with a null value: stored, not attributed). */
  private Map<Long, Integer> personsOfOrders(List<Long> orderIds) {
    Map<Long, Integer> out = new HashMap<>();
    for (List<Long> chunk : InLists.chunks(orderIds)) {
      jdbc.sql("SELECT order_id, person_id FROM profile_order WHERE order_id IN (" + InLists.placeholders(chunk.size()) + ")")
          .params(chunk.toArray())
          .query(rs -> {
            int p = rs.getInt(2);
            out.put(rs.getLong(1), rs.wasNull() ? null : p);
          });
    }
    return out;
  }

  /** {@link #store} for many orders with batched statements; {@code stored}: the orders stored already. */
  private void storeAll(List<OrderSummary> found, Map<Long, Integer> persons, Map<Long, Integer> stored) {
    Timestamp now = Timestamp.from(clock.instant());
    List<OrderSummary> fresh = found.stream().filter(o -> !stored.containsKey(o.orderId())).toList();
    List<OrderSummary> known = new ArrayList<>(found.stream().filter(o -> stored.containsKey(o.orderId())).toList());
    if (!fresh.isEmpty()) {
      int[][] inserted = template.batchUpdate(
          "INSERT INTO profile_order (order_id, channel, shop_id, platform_order_id, status, paid, paid_fen, refunded_fen,"
              + " placed_at, paid_at, has_buyers, updated_at, person_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
              + " ON CONFLICT DO NOTHING",
          fresh,
          fresh.size(),
          (ps, o) -> {
            ps.setLong(1, o.orderId());
            ps.setString(2, o.channel());
            ps.setString(3, o.shopId());
            ps.setString(4, o.platformOrderId());
            ps.setString(5, o.status());
            ps.setBoolean(6, o.paid());
            ps.setLong(7, o.paidFen());
            ps.setLong(8, o.refundedFen());
            ps.setTimestamp(9, Timestamp.from(o.placedAt()));
            ps.setTimestamp(10, o.paidAt() == null ? null : Timestamp.from(o.paidAt()));
            ps.setBoolean(11, !o.buyers().isEmpty());
            ps.setTimestamp(12, now);
            ps.setObject(13, persons.get(o.orderId()), Types.INTEGER);
          });
      int i = 0;
      for (int[] counts : inserted) {
        for (int count : counts) {
          if (count == 0) {
            known.add(fresh.get(i)); // a concurrent listener stored it first: update it like a known one
          }
          i++;
        }
      }
    }
    if (!known.isEmpty()) {
      template.batchUpdate(
          "UPDATE profile_order SET person_id = ?, status = ?, paid = ?, paid_fen = ?, refunded_fen = ?, placed_at = ?,"
              + " paid_at = ?, has_buyers = ?, updated_at = ? WHERE order_id = ?",
          known,
          known.size(),
          (ps, o) -> {
            ps.setObject(1, persons.get(o.orderId()), Types.INTEGER);
            ps.setString(2, o.status());
            ps.setBoolean(3, o.paid());
            ps.setLong(4, o.paidFen());
            ps.setLong(5, o.refundedFen());
            ps.setTimestamp(6, Timestamp.from(o.placedAt()));
            ps.setTimestamp(7, o.paidAt() == null ? null : Timestamp.from(o.paidAt()));
            ps.setBoolean(8, !o.buyers().isEmpty());
            ps.setTimestamp(9, now);
            ps.setLong(10, o.orderId());
          });
      List<Object[]> ids = known.stream().map(o -> new Object[] {o.orderId()}).toList();
      template.batchUpdate("DELETE FROM profile_order_category WHERE order_id = ?", ids);
      template.batchUpdate("DELETE FROM profile_refund WHERE order_id = ?", ids);
    }
    List<Object[]> categories = new ArrayList<>();
    List<Object[]> refunds = new ArrayList<>();
    for (OrderSummary o : found) {
      categories(o).forEach((category, fen) -> categories.add(new Object[] {o.orderId(), category, fen}));
      for (OrderSummary.Refund r : o.refunds()) {
        refunds.add(new Object[] {o.orderId(), r.refundId(), r.state(), r.amountFen(), Timestamp.from(r.modifiedAt())});
      }
    }
    if (!categories.isEmpty()) {
      template.batchUpdate("INSERT INTO profile_order_category (order_id, category, paid_fen) VALUES (?, ?, ?)", categories);
    }
    if (!refunds.isEmpty()) {
      template.batchUpdate("INSERT INTO profile_refund (order_id, refund_id, state, amount_fen, at) VALUES (?, ?, ?, ?, ?)", refunds);
    }
  }

  private static Map<String, Long> categories(OrderSummary o) {
    Map<String, Long> categories = new HashMap<>();
    for (OrderSummary.Line l : o.lines()) {
      if (l.category() != null && !l.category().isBlank()) {
        categories.merge(truncate(l.category().trim(), 200), l.paidFen(), Long::sum);
      }
    }
    return categories;
  }

  /**
   * Orders that arrived before identity knew their buyers (identity resolves them on its own thread)
   * and were changed within {@code window}: attributed now if identity knows them meanwhile. The server
   * runs this every few seconds; answers how many were attributed.
   */
  public int attributePending(Duration window) {
    Timestamp since = Timestamp.from(clock.instant().minus(window));
    List<Long> pending = jdbc.sql("SELECT order_id FROM profile_order WHERE person_id IS NULL AND has_buyers = TRUE"
            + " AND updated_at >= ? ORDER BY order_id LIMIT " + PAGE)
        .param(since).query(Long.class).list();
    int attributed = 0;
    for (OrderSummary o : orders.findAll(pending)) {
      if (attribution.personOf(o).isPresent()) {
        orderChanged(o.orderId());
        attributed++;
      }
    }
    return attributed;
  }

  /** Moves orders between persons (a merge: all of them; a split: those whose buyers now resolve elsewhere). */
  public void moveAll(int from, int to) {
    jdbc.sql("UPDATE profile_order SET person_id = ? WHERE person_id = ?").params(to, from).update();
  }

  /** After a split: re-attributes the person's orders by their buyers; answers the persons that gained orders. */
  public List<Integer> reattribute(int person) {
    List<Long> ids = jdbc.sql("SELECT order_id FROM profile_order WHERE person_id = ?").param(person).query(Long.class).list();
    List<Integer> gained = new ArrayList<>();
    for (OrderSummary o : orders.findAll(ids)) {
      Optional<Integer> now = attribution.known(o.buyers());
      if (now.isPresent() && now.get() != person) {
        jdbc.sql("UPDATE profile_order SET person_id = ? WHERE order_id = ?").params(now.get(), o.orderId()).update();
        gained.add(now.get());
      }
    }
    return gained.stream().distinct().toList();
  }

  public List<Long> orderIdsOf(int person) {
    return jdbc.sql("SELECT order_id FROM profile_order WHERE person_id = ? ORDER BY placed_at, order_id")
        .param(person).query(Long.class).list();
  }

  /** An order as the timeline shows it. */
  public record OrderView(long orderId, String channel, String shopId, String platformOrderId, String status, boolean paid,
      long paidFen, long refundedFen, Instant placedAt, Instant paidAt) {}

  /** A refund as the timeline shows it. */
  public record RefundView(long orderId, String channel, String refundId, String state, long amountFen, Instant at) {}

  public List<OrderView> latestOrders(int person, int limit) {
    return jdbc.sql("SELECT order_id, channel, shop_id, platform_order_id, status, paid, paid_fen, refunded_fen, placed_at, paid_at"
            + " FROM profile_order WHERE person_id = ? ORDER BY placed_at DESC, order_id DESC LIMIT ?")
        .params(person, limit)
        .query((rs, n) -> new OrderView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getBoolean(6), rs.getLong(7), rs.getLong(8), rs.getTimestamp(9).toInstant(), instant(rs, 10)))
        .list();
  }

  public List<RefundView> latestRefunds(int person, int limit) {
    return jdbc.sql("SELECT r.order_id, o.channel, r.refund_id, r.state, r.amount_fen, r.at FROM profile_refund r"
            + " JOIN profile_order o ON o.order_id = r.order_id WHERE o.person_id = ? ORDER BY r.at DESC, r.order_id DESC LIMIT ?")
        .params(person, limit)
        .query((rs, n) -> new RefundView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
            rs.getTimestamp(6).toInstant()))
        .list();
  }

  // ---- metrics -----------------------------------------------------------------------------------

  /** Recomputes one person's metrics (after a merge, a split, an erasure); publishes what changed. */
  public void recompute(int person) {
    RfmScoring scoring = scoring();
    tx.executeWithoutResult(s -> {
      locks.lock(person);
      recomputeLocked(person, scoring);
    });
  }

  /** The stored metrics of a person ({@link PersonMetrics#NONE} without paid orders). */
  public PersonMetrics of(int person) {
    return metricsOf(List.of(person)).getOrDefault(person, PersonMetrics.NONE);
  }

  /** When the stored metrics were computed (null when never). */
  public Instant computedAt(int person) {
    return jdbc.sql("SELECT computed_at FROM profile_metrics WHERE person_id = ?").param(person)
        .query((rs, n) -> rs.getTimestamp(1).toInstant()).optional().orElse(null);
  }

  private void recomputeLocked(int person, RfmScoring scoring) {
    recomputeLocked(List.of(person), scoring);
  }

  /** Recomputes these persons' metrics from their stored orders (a few statements for all of them); publishes what changed. */
  private void recomputeLocked(Collection<Integer> persons, RfmScoring scoring) {
    if (persons.isEmpty()) {
      return;
    }
    LocalDate today = LocalDate.now(clock);
    List<Integer> ids = List.copyOf(persons);
    Map<Integer, List<OrderFact>> facts = facts(ids);
    Map<Integer, PersonMetrics> stored = metricsOf(ids);
    Map<Integer, PersonMetrics> changed = new TreeMap<>();
    Map<Integer, PersonMetrics> before = new HashMap<>();
    for (int person : ids) {
      PersonMetrics next = MetricsCalculator.compute(facts.getOrDefault(person, List.of()), today, clock.getZone(), scoring, clv);
      PersonMetrics previous = stored.getOrDefault(person, PersonMetrics.NONE);
      if (!next.equals(previous)) {
        changed.put(person, next);
        before.put(person, previous);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    template.batchUpdate("DELETE FROM profile_metrics WHERE person_id = ?",
        changed.keySet().stream().map(p -> new Object[] {p}).toList());
    Timestamp now = Timestamp.from(clock.instant());
    List<Object[]> rows = new ArrayList<>();
    changed.forEach((person, next) -> {
      if (next.orderCount() > 0) {
        rows.add(new Object[] {person, next.orderCount(), next.spendFen(), next.refundedFen(), next.aovFen(),
            next.refundRatePermille(), next.firstOrderDay(), next.lastOrderDay(), next.recencyDays(), next.rfmR(), next.rfmF(),
            next.rfmM(), next.clvFen(), next.favouriteChannel(), next.favouriteCategory(), now});
      }
    });
    if (!rows.isEmpty()) {
      template.batchUpdate("INSERT INTO profile_metrics (person_id, order_count, spend_fen, refunded_fen, aov_fen, refund_rate_permille,"
              + " first_order_day, last_order_day, recency_days, rfm_r, rfm_f, rfm_m, clv_fen, favourite_channel,"
              + " favourite_category, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          rows);
    }
    changed.forEach((person, next) -> {
      PersonMetrics previous = before.get(person);
      events.changed(person, diff(previous.favourites(), next.favourites()), diff(previous.metrics(), next.metrics()), null);
    });
  }

  /** The stored metrics of these persons (absent: none stored). */
  private Map<Integer, PersonMetrics> metricsOf(List<Integer> persons) {
    Map<Integer, PersonMetrics> out = new HashMap<>();
    for (List<Integer> chunk : InLists.chunks(persons)) {
      jdbc.sql("SELECT order_count, spend_fen, refunded_fen, aov_fen, refund_rate_permille, first_order_day, last_order_day,"
              + " recency_days, rfm_r, rfm_f, rfm_m, clv_fen, favourite_channel, favourite_category, person_id FROM profile_metrics"
              + " WHERE person_id IN (" + InLists.placeholders(chunk.size()) + ")")
          .params(chunk.toArray())
          .query(rs -> {
            out.put(rs.getInt(15), new PersonMetrics(rs.getInt(1), rs.getLong(2), rs.getLong(3), nLong(rs, 4), nInt(rs, 5),
                nInt(rs, 6), nInt(rs, 7), nInt(rs, 8), nInt(rs, 9), nInt(rs, 10), nInt(rs, 11), nLong(rs, 12), rs.getString(13),
                rs.getString(14)));
          });
    }
    return out;
  }

  /** The order facts of these persons. */
  private Map<Integer, List<OrderFact>> facts(List<Integer> persons) {
    Map<Integer, List<OrderFact>> out = new HashMap<>();
    for (List<Integer> chunk : InLists.chunks(persons)) {
      Map<Long, Map<String, Long>> categories = new HashMap<>();
      jdbc.sql("SELECT c.order_id, c.category, c.paid_fen FROM profile_order_category c JOIN profile_order o"
              + " ON o.order_id = c.order_id WHERE o.person_id IN (" + InLists.placeholders(chunk.size()) + ")")
          .params(chunk.toArray())
          .query(rs -> {
            categories.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), rs.getLong(3));
          });
      jdbc.sql("SELECT order_id, channel, paid, paid_fen, refunded_fen, placed_at, paid_at, person_id FROM profile_order"
              + " WHERE person_id IN (" + InLists.placeholders(chunk.size()) + ")")
          .params(chunk.toArray())
          .query(rs -> {
            out.computeIfAbsent(rs.getInt(8), k -> new ArrayList<>())
                .add(new OrderFact(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4), rs.getLong(5),
                    rs.getTimestamp(6).toInstant(), instant(rs, 7), categories.get(rs.getLong(1))));
          });
    }
    return out;
  }

  private static <V> Map<String, V> diff(Map<String, V> before, Map<String, V> after) {
    Map<String, V> out = new LinkedHashMap<>();
    after.forEach((k, v) -> {
      if (!Objects.equals(before.get(k), v)) {
        out.put(k, v);
      }
    });
    return out;
  }

  // ---- RFM cut points ----------------------------------------------------------------------------

  /** The scoring in force: the configured thresholds, or the stored quintiles in quintile mode. */
  public RfmScoring scoring() {
    if (!settings.rfm().quintiles()) {
      return settings.rfm().thresholds();
    }
    Map<String, long[]> cuts = new HashMap<>();
    jdbc.sql("SELECT dimension, cuts FROM profile_rfm_cuts").query(rs -> {
      cuts.put(rs.getString(1), Arrays.stream(rs.getString(2).split(",")).mapToLong(Long::parseLong).toArray());
    });
    if (cuts.size() < 3) {
      return settings.rfm().thresholds();
    }
    return new RfmScoring(cuts.get("r"), cuts.get("f"), cuts.get("m"));
  }

  /** Recomputes the quintile cut points from every buyer's recency, frequency and net spend. */
  public RfmScoring recomputeQuintiles() {
    LocalDate today = LocalDate.now(clock);
    List<long[]> rows = new ArrayList<>();
    jdbc.sql("SELECT COUNT(*), SUM(paid_fen) - SUM(refunded_fen), MAX(COALESCE(paid_at, placed_at)) FROM profile_order"
            + " WHERE paid = TRUE AND person_id IS NOT NULL GROUP BY person_id")
        .query(rs -> {
          LocalDate last = rs.getTimestamp(3).toInstant().atZone(clock.getZone()).toLocalDate();
          rows.add(new long[] {Math.max(0, ChronoUnit.DAYS.between(last, today)), rs.getLong(1), rs.getLong(2)});
        });
    RfmScoring q = RfmScoring.quintiles(rows.stream().mapToLong(r -> r[0]).toArray(), rows.stream().mapToLong(r -> r[1]).toArray(),
        rows.stream().mapToLong(r -> r[2]).toArray());
    if (q == null) {
      return settings.rfm().thresholds();
    }
    tx.executeWithoutResult(s -> {
      jdbc.sql("DELETE FROM profile_rfm_cuts").update();
      Timestamp now = Timestamp.from(clock.instant());
      for (Object[] d : new Object[][] {{"r", q.recencyDays()}, {"f", q.frequency()}, {"m", q.monetaryFen()}}) {
        String csv = String.join(",", Arrays.stream((long[]) d[1]).mapToObj(Long::toString).toList());
        jdbc.sql("INSERT INTO profile_rfm_cuts (dimension, cuts, computed_at) VALUES (?, ?, ?)").params(d[0], csv, now).update();
      }
    });
    return q;
  }

  // ---- recompute ----------------------------------------------------------------------------------

  /** What a recompute did. */
  public record Report(long orders, long persons) {}

  /**
   * Refreshes every order from commerce and re-attributes it, then (quintile mode) recomputes the RFM
   * cut points, then every person's metrics. Progress counts orders, then persons.
   */
  public Report recomputeAll(LongConsumer orderProgress, LongConsumer personProgress) {
    long done = 0;
    long after = 0;
    while (true) {
      List<OrderSummary> page = orders.page(after, PAGE);
      if (page.isEmpty()) {
        break;
      }
      Map<Long, Optional<Integer>> persons = new LinkedHashMap<>();
      for (OrderSummary o : page) {
        persons.put(o.orderId(), attribution.personOf(o));
      }
      tx.executeWithoutResult(s -> {
        Map<Long, Integer> stored = personsOfOrders(page.stream().map(OrderSummary::orderId).toList());
        Map<Long, Integer> targets = new HashMap<>();
        page.forEach(o -> targets.put(o.orderId(), persons.get(o.orderId()).orElse(stored.get(o.orderId()))));
        storeAll(page, targets, stored);
      });
      done += page.size();
      after = page.get(page.size() - 1).orderId();
      orderProgress.accept(done);
    }
    long persons = recomputeMetricsAll(personProgress);
    return new Report(done, persons);
  }

  /** Recomputes every person's metrics (the periodic job: recency, RFM and CLV move with the calendar). */
  public long recomputeMetricsAll(LongConsumer progress) {
    RfmScoring scoring = settings.rfm().quintiles() ? recomputeQuintiles() : settings.rfm().thresholds();
    TreeSet<Integer> all = new TreeSet<>(jdbc.sql("SELECT DISTINCT person_id FROM profile_order WHERE person_id IS NOT NULL")
        .query(Integer.class).list());
    all.addAll(jdbc.sql("SELECT person_id FROM profile_metrics").query(Integer.class).list());
    List<Integer> ids = new ArrayList<>(all);
    for (int i = 0; i < ids.size(); i += PAGE) {
      List<Integer> batch = ids.subList(i, Math.min(ids.size(), i + PAGE));
      tx.executeWithoutResult(s -> {
        locks.lock(batch.stream().mapToInt(Integer::intValue).toArray());
        events.together(() -> recomputeLocked(batch, scoring));
      });
      progress.accept(Math.min(ids.size(), i + PAGE));
    }
    return ids.size();
  }

  // ---- helpers --------------------------------------------------------------------------------------

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static Long nLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Integer nInt(ResultSet rs, int column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }
}
