package io.pond.segment.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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
 * A person's traits, metrics, consents and purchase counts are one stored row: listeners of different
 * profile changes and paid orders write the same persons' rows at the same time, and none may lose
 * another's facts or counts.
 */
@SpringBootTest
class StoredProfileFactsTest {

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
            List<Facts.Fact> changes = new ArrayList<>();
            for (int p : persons) {
              changes.add(new Facts.Fact(p, Facts.METRIC, name, Long.toString(r)));
            }
            List<Facts.Increment> bought = persons.stream().map(p -> new Facts.Increment(p, Facts.BOUGHT, "tea", 20_000, 1)).toList();
            tx.executeWithoutResult(s -> {
              facts.putAll(changes);
              facts.add(bought);
            });
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
      assertThat(facts.of(p).purchases()).as("person %d", p).isEqualTo(Map.of("tea", Map.of(20_000, writers * rounds)));
    }

    int first = persons.get(0);
    tx.executeWithoutResult(s -> facts.putAll(List.of(
        new Facts.Fact(first, Facts.METRIC, "m1", null),
        new Facts.Fact(first, Facts.METRIC, "m4", "9"),
        new Facts.Fact(first, Facts.TRAIT, "city", "上海"),
        new Facts.Fact(first, Facts.CONSENT, "sms", "true"),
        new Facts.Fact(first, Facts.TRAIT, "city", "北京:朝阳"))));
    var stored = facts.of(first);
    assertThat(stored.metrics()).isEqualTo(Map.of("m0", 5L, "m2", 5L, "m3", 5L, "m4", 9L));
    assertThat(stored.traits()).isEqualTo(Map.of("city", "北京:朝阳"));
    assertThat(stored.consents()).isEqualTo(Map.of("sms", true));
    assertThat(facts.of(persons.get(1)).metrics()).containsEntry("m1", 5L);
    assertThat(facts.of(persons.get(1)).traits()).isEmpty();
  }

  @Test
  void the_stored_form_is_kind_then_name_and_value_with_their_lengths_and_reads_back() {
    ProfileFacts facts = new ProfileFacts();
    facts.apply(new Facts.Fact(1, Facts.METRIC, "spend_fen", "123456"));
    facts.apply(new Facts.Fact(1, Facts.METRIC, "last_order_day", "-1"));
    facts.apply(new Facts.Fact(1, Facts.TRAIT, "city", "上海"));
    facts.apply(new Facts.Fact(1, Facts.TRAIT, "note", "a:3:b;c=d"));
    facts.apply(new Facts.Fact(1, Facts.CONSENT, "sms", "false"));
    facts.bought("*", 20_260, 2);
    facts.bought("*", 20_250, 1);
    facts.bought("护肤", 20_250, 1);
    facts.bought("tea", 20_100, 1);
    facts.bought("tea", 20_100, -1);
    String encoded = facts.encode();
    assertThat(encoded).isEqualTo(
        "t4:city2:上海t4:note9:a:3:b;c=dm14:last_order_day2:-1m9:spend_fen6:123456c3:sms5:false"
            + "b1:*15:20250=1,20260=2b2:护肤7:20250=1");
    ProfileFacts back = ProfileFacts.decode(encoded);
    assertThat(back.traits).isEqualTo(facts.traits);
    assertThat(back.metrics).isEqualTo(Map.of("spend_fen", 123_456L, "last_order_day", -1L));
    assertThat(back.consents).isEqualTo(Map.of("sms", false));
    assertThat(back.purchases).isEqualTo(Map.of("*", Map.of(20_250, 1, 20_260, 2), "护肤", Map.of(20_250, 1)));
    assertThat(back.encode()).isEqualTo(encoded);
    assertThat(ProfileFacts.decode("").encode()).isEmpty();
  }
}
