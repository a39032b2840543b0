package io.pond.profile.person;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
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

  PersonLocks(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void lock(int... persons) {
    int[] sorted = Arrays.stream(persons).filter(p -> p > 0).distinct().sorted().toArray();
    for (int p : sorted) {
      jdbc.sql("INSERT INTO profile_person (person_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
          .params(p, Timestamp.from(clock.instant())).update();
      jdbc.sql("SELECT person_id FROM profile_person WHERE person_id = ? FOR UPDATE").param(p).query(Integer.class).single();
    }
  }
}
