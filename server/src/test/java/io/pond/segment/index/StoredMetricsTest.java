package io.pond.segment.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A person's metrics are one stored row: listeners of different profile changes write the same persons'
 * rows at the same time, each with its own metrics, and none may lose another's.
 */
@SpringBootTest
class StoredMetricsTest {

  @Autowired Facts facts;
  @Autowired TransactionTemplate tx;

  @Test
  void concurrent_writers_of_the_same_persons_metrics_lose_none_and_a_removal_removes_only_its_own() throws Exception {
    int base = 1_500_000_000 + ThreadLocalRandom.current().nextInt(100_000_000);
    List<Integer> persons = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      persons.add(base + i * 7);
    }
    int writers = 4;
    int rounds = 5;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String name = "m" + w;
        done.add(pool.submit(() -> {
          start.await();
          for (int r = 1; r <= rounds; r++) {
            Map<Integer, Map<String, Long>> changes = new LinkedHashMap<>();
            for (int p : persons) {
              changes.put(p, Map.of(name, (long) r));
            }
            tx.executeWithoutResult(s -> facts.putMetrics(changes));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int p : persons) {
      assertThat(facts.of(p).metrics()).as("person %d", p).isEqualTo(Map.of("m0", 5L, "m1", 5L, "m2", 5L, "m3", 5L));
    }

    Map<String, Long> removal = new HashMap<>();
    removal.put("m1", null);
    removal.put("m4", 9L);
    tx.executeWithoutResult(s -> facts.putMetrics(Map.of(persons.get(0), removal)));
    assertThat(facts.of(persons.get(0)).metrics()).isEqualTo(Map.of("m0", 5L, "m2", 5L, "m3", 5L, "m4", 9L));
    assertThat(facts.of(persons.get(1)).metrics()).containsEntry("m1", 5L);
  }

  @Test
  void the_stored_form_is_names_in_order_and_reads_back() {
    Map<String, Long> metrics = Map.of("spend_fen", 123_456L, "order_count", 3L, "last_order_day", -1L);
    String encoded = Facts.encodeMetrics(metrics);
    assertThat(encoded).isEqualTo("last_order_day=-1;order_count=3;spend_fen=123456");
    assertThat(Facts.decodeMetrics(encoded)).isEqualTo(metrics);
    assertThat(Facts.decodeMetrics("")).isEmpty();
  }
}
