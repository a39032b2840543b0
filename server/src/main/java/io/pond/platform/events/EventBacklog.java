package io.pond.platform.events;

import java.time.Duration;
import java.util.function.LongConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Module-event deliveries still open: publications whose listeners (other modules, after the
 * publisher's commit) have not completed yet. A job that loads data in bulk (an order import, the demo)
 * waits for them before it returns, so that what it reports is what members see, and so that it does
 * not close the database under listeners still at work.
 */
@Component
public class EventBacklog {

  private final JdbcTemplate jdbc;

  EventBacklog(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Deliveries not completed yet (failed ones included, until a retry completes them). */
  public long open() {
    Long n = jdbc.queryForObject("SELECT count(*) FROM event_publication WHERE completion_date IS NULL", Long.class);
    return n == null ? 0 : n;
  }

  /**
   * Waits until no delivery is open or {@code max} has passed, telling {@code progress} the open count
   * whenever it changes; returns the deliveries still open.
   */
  public long awaitDrained(Duration max, LongConsumer progress) {
    long deadline = System.nanoTime() + max.toNanos();
    long last = -1;
    while (true) {
      long open = open();
      if (open != last) {
        progress.accept(open);
        last = open;
      }
      if (open == 0 || System.nanoTime() > deadline) {
        return open;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return open;
      }
    }
  }
}
