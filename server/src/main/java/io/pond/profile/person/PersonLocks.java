package io.pond.profile.person;

import io.pond.platform.storage.InLists;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Serialises changes of one person's profile: every change locks the person's {@code profile_person}
 * row first, in ascending id order when it touches several (a merge), so that order events, trait
 * writes and merges of one person never interleave and never deadlock.
 */
@Component
public class PersonLocks {

  private final JdbcClient jdbc;
  private final Clock clock;

  private final JdbcTemplate template;

  PersonLocks(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
    this.jdbc = jdbc;
    this.template = template;
    this.clock = clock;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void lock(int... persons) {
    int[] sorted = Arrays.stream(persons).filter(p -> p > 0).distinct().sorted().toArray();
    if (sorted.length > 1) {
      lockMany(sorted);
      return;
    }
    for (int p : sorted) {
      jdbc.sql("INSERT INTO profile_person (person_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
          .params(p, Timestamp.from(clock.instant())).update();
      jdbc.sql("SELECT person_id FROM profile_person WHERE person_id = ? FOR UPDATE").param(p).query(Integer.class).single();
    }
  }

  // PERF: a bulk load's chunk concerns hundreds of persons; batched inserts and locks by short id lists,
  // still in ascending order, instead of two statements per person.
  private void lockMany(int[] sorted) {
    Timestamp now = Timestamp.from(clock.instant());
    List<Object[]> rows = Arrays.stream(sorted).mapToObj(p -> new Object[] {p, now}).toList();
    template.batchUpdate("INSERT INTO profile_person (person_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", rows);
    for (List<Integer> chunk : InLists.chunks(Arrays.stream(sorted).boxed().toList())) {
      jdbc.sql("SELECT person_id FROM profile_person WHERE person_id IN (" + InLists.placeholders(chunk.size()) + ")"
              + " ORDER BY person_id FOR UPDATE")
          .params(chunk.toArray()).query(Integer.class).list();
    }
  }
}
