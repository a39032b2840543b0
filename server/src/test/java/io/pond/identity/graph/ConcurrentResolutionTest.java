package io.pond.identity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.Resolution;
import io.pond.identity.ResolvingIdentity;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Event listeners and the event-log consumer resolve inside a transaction of their own; resolution must
 * commit its writes before the next writer looks at the store, or the same evidence is recorded twice.
 */
@SpringBootTest
class ConcurrentResolutionTest {

  @Autowired ResolvingIdentity resolving;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;
  @Autowired IdentityGraphService service;

  @Test
  void the_same_evidence_resolved_concurrently_inside_outer_transactions_is_recorded_once_and_replays()
      throws Exception {
    String key = "concurrent:" + UUID.randomUUID();
    Evidence evidence = new Evidence(
        List.of(Identifier.global(Identifier.PHONE, "+8613700001111"), Identifier.global(Identifier.MEMBER_NO, "C-" + key)),
        LinkKind.TOGETHER, "test", Instant.parse("2026-06-01T00:00:00Z"), key);
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Resolution>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return tx.execute(s -> {
            Resolution r = resolving.resolve(evidence);
            sleep(300); // the outer transaction stays open after resolution returned (and its lock was released)
            return r;
          });
        }));
      }
      start.countDown();
      for (Future<Resolution> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS).person()).isPresent();
      }
    } finally {
      pool.shutdownNow();
    }

    Resolution replay = tx.execute(s -> resolving.resolve(evidence));
    assertThat(replay.outcome()).isEqualTo(new Resolution.Outcome.Unchanged(true));
    assertThat(service.loggedCount(key)).as("recorded once in the evidence log").isEqualTo(1);
    service.checkpoint();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM identity_evidence WHERE idem_key = ?").param(key).query(Long.class).single())
        .as("and once in the OLTP tables, as it changed the graph").isEqualTo(1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
