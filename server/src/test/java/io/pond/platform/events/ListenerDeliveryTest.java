package io.pond.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Module listeners run on a bounded number of threads (a burst of events queues instead of starting a
 * thread per event that then waits for a connection), and a listener that failed is delivered again
 * by {@link EventRetries} while one that is still running is not run a second time. A transactional
 * listener's publication is completed in the listener's own transaction ({@link ListenerCompletions}):
 * both commit or neither does.
 */
@SpringBootTest(properties = {"pond.events.retry-after=0s", "pond.events.retry-interval=200ms", "pond.events.listener-threads=3"})
class ListenerDeliveryTest {

  record Burst(int n) {}

  record Slow(int n) {}

  record Flaky(String id) {}

  record Applied(String id) {}

  record FailsAtCommit(String id) {}

  record Untransacted(String id) {}

  /** What the listeners saw (a bean of its own: the listeners' bean is a proxy). */
  static class Seen {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger burstsDone = new AtomicInteger();
    final Set<Integer> threads = ConcurrentHashMap.newKeySet();
    final AtomicInteger flakyCalls = new AtomicInteger();
    final AtomicInteger flakyDone = new AtomicInteger();
    /** Open publications of the event, as the listener's transaction saw them just before it committed. */
    final Map<String, Long> openAtCommit = new ConcurrentHashMap<>();
    final AtomicInteger commitFailures = new AtomicInteger();
    final AtomicInteger untransactedDone = new AtomicInteger();
    final AtomicInteger slowDone = new AtomicInteger();
  }

  static class Listeners {
    private final Seen seen;

    private final JdbcClient jdbc;

    Listeners(Seen seen, JdbcClient jdbc) {
      this.seen = seen;
      this.jdbc = jdbc;
      jdbc.sql("CREATE TABLE IF NOT EXISTS test_applied (id VARCHAR(40) PRIMARY KEY)").update();
    }

    @ApplicationModuleListener
    void on(Slow slow) throws InterruptedException {
      Thread.sleep(20);
      seen.slowDone.incrementAndGet();
    }

    @ApplicationModuleListener
    void on(Burst burst) throws InterruptedException {
      int now = seen.running.incrementAndGet();
      seen.maxRunning.accumulateAndGet(now, Math::max);
      seen.threads.add(System.identityHashCode(Thread.currentThread()));
      Thread.sleep(5);
      seen.running.decrementAndGet();
      seen.burstsDone.incrementAndGet();
    }

    @ApplicationModuleListener
    void on(Flaky flaky) throws InterruptedException {
      if (seen.flakyCalls.incrementAndGet() == 1) {
        throw new IllegalStateException("transient failure on first delivery");
      }
      Thread.sleep(1500); // longer than the retry interval: a running delivery must not be resubmitted
      seen.flakyDone.incrementAndGet();
    }

    @ApplicationModuleListener
    void on(Applied applied) {
      jdbc.sql("INSERT INTO test_applied (id) VALUES (?)").param(applied.id()).update();
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void beforeCommit(boolean readOnly) {
          seen.openAtCommit.put(applied.id(), open(jdbc, "Applied"));
        }
      });
    }

    /** Fails when its transaction commits, the first time: after Modulith's completion advice has run. */
    @ApplicationModuleListener
    void on(FailsAtCommit event) {
      jdbc.sql("INSERT INTO test_applied (id) VALUES (?)").param(event.id()).update();
      if (seen.commitFailures.get() == 0) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
          @Override
          public void beforeCommit(boolean readOnly) {
            seen.commitFailures.incrementAndGet();
            throw new IllegalStateException("failure at commit");
          }
        });
      }
    }

    @Async
    @TransactionalEventListener
    void on(Untransacted event) {
      seen.untransactedDone.incrementAndGet();
    }
  }

  static long open(JdbcClient jdbc, String eventType) {
    return jdbc.sql("SELECT count(*) FROM event_publication WHERE event_type LIKE ? AND completion_date IS NULL")
        .param("%$" + eventType).query(Long.class).single();
  }

  @TestConfiguration
  static class Config {
    @Bean
    Seen seen() {
      return new Seen();
    }

    @Bean
    Listeners listeners(Seen seen, JdbcClient jdbc) {
      return new Listeners(seen, jdbc);
    }
  }

  @Autowired Seen listeners;
  @Autowired ApplicationEventPublisher events;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;
  @Autowired EventBacklog backlog;

  @Test
  void a_burst_of_events_runs_on_the_bounded_listener_threads() {
    tx.executeWithoutResult(s -> {
      for (int i = 0; i < 300; i++) {
        events.publishEvent(new Burst(i));
      }
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> listeners.burstsDone.get() == 300);
    assertThat(listeners.maxRunning.get()).isLessThanOrEqualTo(3);
    assertThat(listeners.threads).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void a_bulk_job_waits_until_the_listeners_have_completed_its_deliveries() {
    tx.executeWithoutResult(s -> {
      for (int i = 0; i < 60; i++) {
        events.publishEvent(new Slow(i));
      }
    });
    List<Long> counts = new java.util.concurrent.CopyOnWriteArrayList<>();
    long left = backlog.awaitDrained(Duration.ofSeconds(60), counts::add);
    assertThat(left).isZero();
    assertThat(listeners.slowDone.get()).as("every delivery completed when it returned").isEqualTo(60);
    assertThat(counts.get(0)).as("open when the wait began").isPositive();
    assertThat(counts.get(counts.size() - 1)).isZero();
    assertThat(backlog.awaitDrained(Duration.ofSeconds(1), n -> {})).isZero();
  }

  @Test
  void a_failed_listener_is_delivered_again_and_a_running_one_is_not_repeated() {
    tx.executeWithoutResult(s -> events.publishEvent(new Flaky("x")));
    await().atMost(Duration.ofSeconds(30)).until(() -> listeners.flakyDone.get() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        jdbc.sql("SELECT count(*) FROM event_publication WHERE event_type LIKE '%Flaky%' AND completion_date IS NULL")
            .query(Long.class).single() == 0);
    assertThat(listeners.flakyCalls.get()).isEqualTo(2);
  }

  @Test
  void a_transactional_listener_completes_its_publication_in_its_own_transaction() {
    tx.executeWithoutResult(s -> events.publishEvent(new Applied("a1-" + RUN)));
    await().atMost(Duration.ofSeconds(30)).until(() -> listeners.openAtCommit.containsKey("a1-" + RUN));
    // Modulith alone completes the publication after the listener's transaction: it would still be open here
    assertThat(listeners.openAtCommit.get("a1-" + RUN)).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> open(jdbc, "Applied") == 0);
    assertThat(applied("a1-" + RUN)).isEqualTo(1);
  }

  @Test
  void a_listener_whose_commit_fails_is_delivered_again_and_applied_once() {
    tx.executeWithoutResult(s -> events.publishEvent(new FailsAtCommit("c1-" + RUN)));
    await().atMost(Duration.ofSeconds(30)).until(() -> applied("c1-" + RUN) == 1 && open(jdbc, "FailsAtCommit") == 0);
    assertThat(listeners.commitFailures.get()).isEqualTo(1);
  }

  @Test
  void a_listener_without_a_transaction_of_its_own_is_completed_too() {
    tx.executeWithoutResult(s -> events.publishEvent(new Untransacted("u1-" + RUN)));
    await().atMost(Duration.ofSeconds(30)).until(() -> listeners.untransactedDone.get() == 1 && open(jdbc, "Untransacted") == 0);
  }

  /** Ids unique per run: the table outlives the test on PostgreSQL. */
  private static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 8);

  private long applied(String id) {
    return jdbc.sql("SELECT count(*) FROM test_applied WHERE id = ?").param(id).query(Long.class).single();
  }
}
