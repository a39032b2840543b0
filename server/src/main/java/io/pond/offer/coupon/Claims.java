package io.pond.offer.coupon;

import io.pond.offer.coupon.domain.CouponCodes;
import io.pond.offer.coupon.domain.Validity;
import jakarta.annotation.PreDestroy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues coupons fast and exactly. A hot stock row serialises every claim on it, so stock is counted
 * in memory and written in groups:
 *
 * <ol>
 *   <li>Each template has an {@link Allocator}: the stock not yet taken ({@code total − issued −
 *       in flight}) and, when the template limits coupons per member, each person's count. A claim
 *       takes one unit (and one of the person's) with atomic operations, or is refused at once.
 *   <li>Taken units are queued; a few writer threads commit whatever is queued, in one transaction
 *       per template: a batch insert of the n coupons, then {@code UPDATE … SET issued = issued + n
 *       WHERE issued + n <= total_stock}. Only then does each claimer get its coupon (group commit:
 *       durable before acknowledged). Writers overlap their inserts and hold the hot stock row only for
 *       the update and the commit. Serials are unique numbers from memory (above the stored maximum);
 *       pool templates take dense serials from the stock row instead, as serial N gets pool code N.
 * </ol>
 *
 * The store stays the judge: the conditional update and the unique keys (serial, issue key, member
 * sequence) refuse anything the memory got wrong — a second process on the same store, a repeated
 * issue key. Then the group is redone one coupon per transaction, and the allocator is re-read from
 * the store. At start the allocator is built from the store ({@code total_stock − issued}), so the
 * count is exact across restarts: a unit is either committed or given back.
 */
@Component
public class Claims {

  private static final Logger log = LoggerFactory.getLogger(Claims.class);
  private static final int MAX_GROUP = 4096;

  private final Templates templates;
  private final JdbcClient jdbc;
  private final JdbcTemplate jdbcTemplate;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Map<Long, Allocator> allocators = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<IssueOutcome>> inFlightKeys = new ConcurrentHashMap<>();
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  /**
   * Writer threads. On PostgreSQL two overlap one group's round trips and WAL flush with the next
   * group's inserts. The embedded H2 store commits one transaction at a time in this process, so a
   * second writer only halves the groups: one writer takes everything queued while it committed, and
   * each commit (a store of the changed pages, WRITE_DELAY=0) is shared by more coupons.
   */
  private volatile int writerCount;
  private final List<Thread> writers = new ArrayList<>();
  private final AtomicLong groups = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong writeNanos = new AtomicLong();

  /** What the writer did since start: groups committed, coupons in them, time spent writing. */
  public record Stats(long groups, long coupons, long writeMillis) {}

  public Stats stats() {
    return new Stats(groups.get(), rows.get(), writeNanos.get() / 1_000_000);
  }
  private volatile boolean stopping;

  Claims(Templates templates, JdbcClient jdbc, JdbcTemplate jdbcTemplate, PlatformTransactionManager transactions, Clock clock) {
    this.templates = templates;
    this.jdbc = jdbc;
    this.jdbcTemplate = jdbcTemplate;
    this.transactions = new TransactionTemplate(transactions);
    this.clock = clock;
  }

  /**
   * Issues one coupon of {@code template} to {@code personId}, within stock and the per-member limit.
   * With an {@code issueKey}, issuing again with the same key answers the first coupon (replayed).
   * Blocks until the coupon is durable.
   */
  IssueOutcome issue(Templates.Template template, int personId, String source, String issueKey) {
    if (issueKey == null) {
      return take(template, personId, source, null);
    }
    Optional<IssueOutcome.Coupon> existing = byIssueKey(template, issueKey);
    if (existing.isPresent()) {
      return new IssueOutcome.Issued(existing.get(), true);
    }
    String key = template.id() + "/" + issueKey;
    CompletableFuture<IssueOutcome> mine = new CompletableFuture<>();
    CompletableFuture<IssueOutcome> theirs = inFlightKeys.putIfAbsent(key, mine);
    if (theirs != null) {
      IssueOutcome first = await(theirs);
      return first instanceof IssueOutcome.Issued i ? new IssueOutcome.Issued(i.coupon(), true) : first;
    }
    try {
      IssueOutcome outcome = take(template, personId, source, issueKey);
      mine.complete(outcome);
      return outcome;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlightKeys.remove(key, mine);
    }
  }

  private IssueOutcome take(Templates.Template template, int personId, String source, String issueKey) {
    Allocator allocator = allocator(template.id());
    Ticket ticket = allocator.take(personId);
    if (ticket.refusal() != null) {
      return ticket.refusal();
    }
    Instant now = clock.instant();
    Validity.Window window = template.rules().validity().windowFor(now, clock.getZone());
    Pending p = new Pending(template, allocator, ticket, personId, source, issueKey, now, window, new CompletableFuture<>());
    ensureWriter();
    queue.add(p);
    return await(p.done());
  }

  private static IssueOutcome await(CompletableFuture<IssueOutcome> f) {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the coupon was being written", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the coupon was not written within 60 s", e);
    }
  }

  /** Forgets the allocator of a template whose stock or rules changed; the next claim rebuilds it. */
  void changed(long templateId) {
    Allocator a = allocators.get(templateId);
    if (a != null) {
      a.resync();
    }
  }

  private Allocator allocator(long templateId) {
    return allocators.computeIfAbsent(templateId, id -> {
      Allocator a = new Allocator(id);
      a.resync();
      return a;
    });
  }

  private Optional<IssueOutcome.Coupon> byIssueKey(Templates.Template t, String issueKey) {
    return jdbc.sql("SELECT c.code, c.person_id, c.serial, c.source, c.valid_from, c.valid_until, c.issued_at FROM offer_coupon_issue_key k"
            + " JOIN offer_coupon c ON c.template_id = k.template_id AND c.serial = k.serial WHERE k.template_id = ? AND k.issue_key = ?")
        .params(t.id(), issueKey)
        .query((rs, n) -> new IssueOutcome.Coupon(
            rs.getString(1), t.code(), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
            rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant()))
        .optional();
  }

  // ---- the allocator ----------------------------------------------------------------------------

  private record Ticket(Integer memberSeq, IssueOutcome.Refused refusal) {}

  /** Stock and per-member counts of one template, in memory; {@link #resync()} re-reads the store. */
  final class Allocator {
    private final long templateId;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong available = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong nextSerial = new AtomicLong(1);
    private volatile Integer limit;
    private volatile Map<Integer, AtomicInteger> held = new ConcurrentHashMap<>();

    Allocator(long templateId) {
      this.templateId = templateId;
    }

    Ticket take(int personId) {
      lock.readLock().lock();
      try {
        Integer max = limit;
        AtomicInteger mine = null;
        int seq = 0;
        if (max != null) {
          mine = held.computeIfAbsent(personId, p -> new AtomicInteger());
          seq = mine.incrementAndGet();
          if (seq > max) {
            mine.decrementAndGet();
            return new Ticket(null, new IssueOutcome.Refused("limit_reached", "at most " + max + " coupons per member"));
          }
        }
        if (available.decrementAndGet() < 0) {
          available.incrementAndGet();
          if (mine != null) {
            mine.decrementAndGet();
          }
          return new Ticket(null, new IssueOutcome.Refused("out_of_stock", "no coupons left"));
        }
        inFlight.incrementAndGet();
        return new Ticket(max == null ? null : seq, null);
      } finally {
        lock.readLock().unlock();
      }
    }

    /** Reserves n serials (numbers unique within the template; for generated codes they may have gaps). */
    long serials(int n) {
      return nextSerial.getAndAdd(n);
    }

    /** A taken unit was written. */
    void written() {
      inFlight.decrementAndGet();
    }

    /** A taken unit was not written: give it (and the person's count) back. */
    void giveBack(int personId, Ticket ticket) {
      lock.readLock().lock();
      try {
        inFlight.decrementAndGet();
        available.incrementAndGet();
        if (ticket.memberSeq() != null) {
          AtomicInteger mine = held.get(personId);
          if (mine != null) {
            mine.decrementAndGet();
          }
        }
      } finally {
        lock.readLock().unlock();
      }
    }

    /** Re-reads stock and per-member counts from the store (units in flight stay taken). */
    void resync() {
      lock.writeLock().lock();
      try {
        Templates.Template t = templates.evict(templateId);
        limit = t.rules().perMemberLimit();
        available.set(Math.max(0, t.rules().totalStock() - t.issued() - inFlight.get()));
        Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
        if (limit != null) {
          jdbc.sql("SELECT person_id, COUNT(*) FROM offer_coupon WHERE template_id = ? GROUP BY person_id")
              .param(templateId)
              .query(rs -> {
                counts.put(rs.getInt(1), new AtomicInteger(rs.getInt(2)));
              });
          // PERF: counts of persons whose claims are in flight are lower by those claims until they are written
        }
        held = counts;
        long max = jdbc.sql("SELECT COALESCE(MAX(serial), 0) FROM offer_coupon WHERE template_id = ?").param(templateId).query(Long.class).single();
        nextSerial.accumulateAndGet(max + 1, Math::max);
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  // ---- the writer -------------------------------------------------------------------------------

  private record Pending(
      Templates.Template template, Allocator allocator, Ticket ticket, int personId, String source, String issueKey, Instant at,
      Validity.Window window, CompletableFuture<IssueOutcome> done) {}

  private static final class StockMoved extends RuntimeException {
    StockMoved() {
      super("stock moved under the allocator", null, false, false);
    }
  }

  private int writerCount() {
    if (writerCount == 0) {
      String product;
      try {
        product = jdbcTemplate.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
      } catch (RuntimeException e) {
        product = "";
      }
      writerCount = product != null && product.toLowerCase(java.util.Locale.ROOT).contains("h2") ? 1 : 2;
    }
    return writerCount;
  }

  private volatile boolean writersUp;

  /** Starts the writers if they are not running; no lock on the claim path once they are. */
  private void ensureWriter() {
    if (!writersUp) {
      startWriters();
    }
  }

  private synchronized void startWriters() {
    if (writers.isEmpty() || writers.stream().anyMatch(w -> !w.isAlive())) {
      writers.removeIf(w -> !w.isAlive());
      stopping = false;
      int wanted = writerCount();
      while (writers.size() < wanted) {
        writers.add(Thread.ofPlatform().name("offer-claim-writer-" + writers.size()).daemon(true).start(() -> {
          try {
            drain();
          } finally {
            writersUp = false;
          }
        }));
      }
      writersUp = true;
    }
  }

  @PreDestroy
  synchronized void stop() throws InterruptedException {
    stopping = true;
    for (Thread w : writers) {
      w.interrupt();
    }
    for (Thread w : writers) {
      w.join(10_000);
    }
  }

  private void drain() {
    List<Pending> group = new ArrayList<>();
    while (true) {
      try {
        Pending first = stopping ? queue.poll() : queue.take();
        if (first == null) {
          return;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
      } catch (InterruptedException e) {
        if (queue.isEmpty()) {
          return;
        }
        stopping = true;
        continue;
      }
      Map<Long, List<Pending>> byTemplate = new LinkedHashMap<>();
      for (Pending p : group) {
        byTemplate.computeIfAbsent(p.template().id(), id -> new ArrayList<>()).add(p);
      }
      for (List<Pending> batch : byTemplate.values()) {
        long start = System.nanoTime();
        try {
          writeGroup(batch);
          groups.incrementAndGet();
          rows.addAndGet(batch.size());
        } catch (RuntimeException e) {
          if (!(e instanceof StockMoved) && !(e instanceof org.springframework.dao.DataIntegrityViolationException)) {
            log.warn("Group of {} coupons failed ({}); writing them one by one", batch.size(), e.toString());
          }
          for (Pending p : batch) {
            writeAlone(p);
          }
          batch.get(0).allocator().resync();
        } finally {
          writeNanos.addAndGet(System.nanoTime() - start);
        }
      }
      group.clear();
    }
  }

  private void writeGroup(List<Pending> batch) {
    Templates.Template t = batch.get(0).template();
    int n = batch.size();
    List<IssueOutcome.Coupon> coupons =
        transactions.execute(
            status -> {
              if (t.pool()) {
                // pool codes are numbered: serials must be dense, so they come from the stock row
                long last = takeStock(t, n);
                return insert(t, batch, last - n + 1);
              }
              // PERF: insert first, with serials from memory, and take the stock row last, so that
              // writers overlap their inserts and hold the hot row only for the update and the commit
              List<IssueOutcome.Coupon> written = insert(t, batch, batch.get(0).allocator().serials(n));
              takeStockOnly(t, n);
              return written;
            });
    for (int i = 0; i < n; i++) {
      Pending p = batch.get(i);
      p.allocator().written();
      p.done().complete(new IssueOutcome.Issued(coupons.get(i), false));
    }
  }

  /** Raises the issued count by n under the stock, or throws; answers the new count. */
  private long takeStock(Templates.Template t, int n) {
    takeStockOnly(t, n);
    return jdbc.sql("SELECT issued FROM offer_template WHERE id = ?").param(t.id()).query(Long.class).single();
  }

  private void takeStockOnly(Templates.Template t, int n) {
    int updated = jdbc.sql("UPDATE offer_template SET issued = issued + ? WHERE id = ? AND issued + ? <= total_stock").params(n, t.id(), n).update();
    if (updated != 1) {
      throw new StockMoved();
    }
  }

  private void writeAlone(Pending p) {
    Templates.Template t = p.template();
    try {
      IssueOutcome outcome =
          transactions.execute(
              status -> {
                if (p.issueKey() != null) {
                  Optional<IssueOutcome.Coupon> existing = byIssueKey(t, p.issueKey());
                  if (existing.isPresent()) {
                    return new IssueOutcome.Issued(existing.get(), true);
                  }
                }
                Integer seq = null;
                Integer limit = t.rules().perMemberLimit();
                if (limit != null) {
                  List<Integer> taken =
                      jdbc.sql("SELECT member_seq FROM offer_coupon WHERE template_id = ? AND person_id = ?")
                          .params(t.id(), p.personId())
                          .query(Integer.class)
                          .list();
                  for (int s = 1; s <= limit && seq == null; s++) {
                    if (!taken.contains(s)) {
                      seq = s;
                    }
                  }
                  if (seq == null) {
                    return new IssueOutcome.Refused("limit_reached", "at most " + limit + " coupons per member");
                  }
                }
                int updated = jdbc.sql("UPDATE offer_template SET issued = issued + 1 WHERE id = ? AND issued < total_stock").param(t.id()).update();
                if (updated != 1) {
                  return new IssueOutcome.Refused("out_of_stock", "no coupons left");
                }
                long serial =
                    t.pool()
                        ? jdbc.sql("SELECT issued FROM offer_template WHERE id = ?").param(t.id()).query(Long.class).single()
                        : Math.max(
                            p.allocator().serials(1),
                            jdbc.sql("SELECT COALESCE(MAX(serial), 0) + 1 FROM offer_coupon WHERE template_id = ?").param(t.id()).query(Long.class).single());
                Pending alone = new Pending(t, p.allocator(), new Ticket(seq, null), p.personId(), p.source(), p.issueKey(), p.at(), p.window(), p.done());
                return new IssueOutcome.Issued(insert(t, List.of(alone), serial).get(0), false);
              });
      if (outcome instanceof IssueOutcome.Issued i && !i.replayed()) {
        p.allocator().written();
      } else {
        p.allocator().giveBack(p.personId(), p.ticket());
      }
      p.done().complete(outcome);
    } catch (RuntimeException e) {
      p.allocator().giveBack(p.personId(), p.ticket());
      p.done().completeExceptionally(e);
    }
  }

  private List<IssueOutcome.Coupon> insert(Templates.Template t, List<Pending> batch, long firstSerial) {
    Map<Long, String> external = new HashMap<>();
    if (t.pool()) {
      jdbc.sql("SELECT serial, code FROM offer_external_code WHERE template_id = ? AND serial BETWEEN ? AND ?")
          .params(t.id(), firstSerial, firstSerial + batch.size() - 1)
          .query(rs -> {
            external.put(rs.getLong(1), rs.getString(2));
          });
    }
    List<IssueOutcome.Coupon> coupons = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      long serial = firstSerial + i;
      String code = t.pool() ? external.get(serial) : CouponCodes.next();
      if (code == null) {
        throw new IllegalStateException("code pool of " + t.code() + " has no code " + serial);
      }
      coupons.add(new IssueOutcome.Coupon(code, t.code(), p.personId(), serial, p.source(), p.window().from(), p.window().until(), p.at()));
    }
    jdbcTemplate.batchUpdate(
        "INSERT INTO offer_coupon (template_id, serial, person_id, member_seq, code, status, source, valid_from, valid_until, issued_at)"
            + " VALUES (?, ?, ?, ?, ?, 'ISSUED', ?, ?, ?, ?)",
        new BatchPreparedStatementSetter() {
          @Override
          public void setValues(PreparedStatement ps, int i) throws SQLException {
            Pending p = batch.get(i);
            IssueOutcome.Coupon c = coupons.get(i);
            ps.setLong(1, t.id());
            ps.setLong(2, c.serial());
            ps.setInt(3, p.personId());
            if (p.ticket().memberSeq() == null) {
              ps.setNull(4, Types.INTEGER);
            } else {
              ps.setInt(4, p.ticket().memberSeq());
            }
            ps.setString(5, c.code());
            ps.setString(6, p.source());
            ps.setTimestamp(7, Timestamp.from(c.validFrom()));
            ps.setTimestamp(8, Timestamp.from(c.validUntil()));
            ps.setTimestamp(9, Timestamp.from(c.issuedAt()));
          }

          @Override
          public int getBatchSize() {
            return batch.size();
          }
        });
    List<Object[]> keys = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).issueKey() != null) {
        keys.add(new Object[] {t.id(), batch.get(i).issueKey(), coupons.get(i).serial()});
      }
    }
    if (!keys.isEmpty()) {
      // the primary key refuses a repeated key: the group fails and is redone one by one (replayed)
      jdbcTemplate.batchUpdate("INSERT INTO offer_coupon_issue_key (template_id, issue_key, serial) VALUES (?, ?, ?)", keys);
    }
    return coupons;
  }
}
