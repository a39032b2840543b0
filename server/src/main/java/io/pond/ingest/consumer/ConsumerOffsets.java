package io.pond.ingest.consumer;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The durable offsets of event-log consumers, in the OLTP store. */
@Component
public class ConsumerOffsets {

  private final JdbcClient jdbc;
  private final Clock clock;

  ConsumerOffsets(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The last offset the consumer committed; 0 when it never did. */
  public long committed(String consumer) {
    return find(consumer).orElse(0L);
  }

  public Optional<Long> find(String consumer) {
    return jdbc.sql("SELECT committed_offset FROM ingest_consumer_offset WHERE consumer_name = ?")
        .param(consumer)
        .query(Long.class)
        .optional();
  }

  /**
   * Moves the offset from {@code expected} to {@code offset}, in the caller's transaction.
   *
   * @throws IllegalStateException when another driver moved it meanwhile (the transaction must roll back)
   */
  void advance(String consumer, long expected, long offset) {
    Timestamp now = Timestamp.from(clock.instant());
    int updated =
        jdbc.sql(
                "UPDATE ingest_consumer_offset SET committed_offset = ?, updated_at = ?"
                    + " WHERE consumer_name = ? AND committed_offset = ?")
            .params(offset, now, consumer, expected)
            .update();
    if (updated == 1) {
      return;
    }
    if (expected == 0 && find(consumer).isEmpty()) {
      jdbc.sql("INSERT INTO ingest_consumer_offset (consumer_name, committed_offset, updated_at) VALUES (?, ?, ?)")
          .params(consumer, offset, now)
          .update();
      return;
    }
    throw new IllegalStateException(
        "the offset of consumer '" + consumer + "' moved concurrently (expected " + expected + ")");
  }
}
