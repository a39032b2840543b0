package io.pond.ingest;

import java.util.List;

/**
 * A reader of the event log, declared as a Spring bean by any module (identity, profile, segment…).
 * The ingest module drives every consumer bean on its own thread.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Batches arrive in log order ({@link EventEnvelope#offset()} increasing), starting after the
 *       consumer's last committed offset (from the start of the log for a new {@link #name()}).
 *   <li>{@link #accept(List)} runs inside an OLTP transaction (the application's
 *       {@code DataSource}) in which the ingest module also advances the consumer's offset. Writes the
 *       consumer makes through the same {@code DataSource} (JdbcClient, JdbcTemplate, events published
 *       with {@code ApplicationEventPublisher}) commit or roll back together with the offset.
 *   <li>If {@code accept} throws, the transaction rolls back and the same batch is offered again
 *       later (with back-off). After a crash, the batch after the last committed offset is replayed,
 *       so a handler whose writes all go through that transaction sees each event effectively once;
 *       side effects outside it (HTTP calls, in-memory caches) must be idempotent or rebuilt.
 *   <li>Do not keep the list or call back into ingestion from {@code accept}.
 * </ul>
 */
public interface EventLogConsumer {

  /** A stable name, the key of the durable offset (e.g. {@code identity}); at most 100 characters. */
  String name();

  /** Handles a batch of committed events; see the class documentation for the transaction rules. */
  void accept(List<EventEnvelope> batch);

  /**
   * Thrown by {@link #accept} when the batch cannot be handled yet because another consumer has not
   * caught up (identity has not resolved an event's identifiers, say): the batch is offered again after
   * the back-off, and the wait is logged quietly — it is not a failure.
   */
  final class NotYet extends RuntimeException {
    public NotYet(String message) {
      super(message, null, false, false);
    }
  }
}
