package io.pond.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Module listeners run on a bounded number of threads (a burst of events queues instead of starting a
 * thread per event that then waits for a connection), and a listener that failed is delivered again
 * by {@link EventRetries} while one that is still running is not run a second time.
 */
@SpringBootTest(properties = {"pond.events.retry-after=0s", "pond.events.retry-interval=200ms", "pond.events.listener-threads=3"})
class ListenerDeliveryTest {

  record Burst(int n) {}

  record Flaky(String id) {}

  /** What the listeners saw (a bean of its own: the listeners' bean is a proxy). */
  static class Seen {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger burstsDone = new AtomicInteger();
    final Set<Integer> threads = ConcurrentHashMap.newKeySet();
    final AtomicInteger flakyCalls = new AtomicInteger();
    final AtomicInteger flakyDone = new AtomicInteger();
  }

  static class Listeners {
    private final Seen seen;

    Listeners(Seen seen) {
      this.seen = seen;
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
  }

  @TestConfiguration
  static class Config {
    @Bean
    Seen seen() {
      return new Seen();
    }

    @Bean
    Listeners listeners(Seen seen) {
      return new Listeners(seen);
    }
  }

  @Autowired Seen listeners;
  @Autowired ApplicationEventPublisher events;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;

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
  void a_failed_listener_is_delivered_again_and_a_running_one_is_not_repeated() {
    tx.executeWithoutResult(s -> events.publishEvent(new Flaky("x")));
    await().atMost(Duration.ofSeconds(30)).until(() -> listeners.flakyDone.get() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        jdbc.sql("SELECT count(*) FROM event_publication WHERE event_type LIKE '%Flaky%' AND completion_date IS NULL")
            .query(Long.class).single() == 0);
    assertThat(listeners.flakyCalls.get()).isEqualTo(2);
  }
}
