package io.pond.ingest.consumer;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventLogConsumer;
import io.pond.ingest.config.IngestProperties;
import io.pond.ingest.log.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives every {@link EventLogConsumer} bean from its last committed offset: reads a batch from the
 * event log, then, in one OLTP transaction, hands it to the consumer and advances the offset. A
 * failing batch is retried with exponential back-off; other consumers are not held up.
 */
@Component
public class ConsumerDriver implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ConsumerDriver.class);

  private final List<EventLogConsumer> consumers;
  private final EventLog eventLog;
  private final ConsumerOffsets offsets;
  private final TransactionTemplate transactions;
  private final IngestProperties.Consumers settings;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  ConsumerDriver(
      List<EventLogConsumer> consumers,
      EventLog eventLog,
      ConsumerOffsets offsets,
      TransactionTemplate transactions,
      IngestProperties properties) {
    this.consumers = consumers;
    this.eventLog = eventLog;
    this.offsets = offsets;
    this.transactions = transactions;
    this.settings = properties.consumers();
    Set<String> names = new HashSet<>();
    for (EventLogConsumer c : consumers) {
      if (c.name() == null || c.name().isBlank() || c.name().length() > 100) {
        throw new IllegalStateException("EventLogConsumer " + c.getClass().getName() + " needs a name of 1-100 characters");
      }
      if (!names.add(c.name())) {
        throw new IllegalStateException("Two EventLogConsumer beans are named '" + c.name() + "'");
      }
    }
  }

  @Override
  public synchronized void start() {
    running = true;
    if (!settings.enabled()) {
      log.warn("Event log consumers are disabled (pond.ingest.consumers.enabled=false): {} wait at their offsets",
          consumers.stream().map(EventLogConsumer::name).toList());
      return;
    }
    for (EventLogConsumer consumer : consumers) {
      Thread t = Thread.ofPlatform().name("pond-consumer-" + consumer.name()).daemon(true).unstarted(() -> drive(consumer));
      threads.add(t);
      eventLog.onCommit(() -> LockSupport.unpark(t));
      t.start();
    }
  }

  /**
   * Hands the next batch after the consumer's offset to it; returns how many events it handled.
   * Public so that tests and a CLI can drive a consumer synchronously.
   */
  public int step(EventLogConsumer consumer) {
    long from = offsets.committed(consumer.name());
    List<EventEnvelope> batch = eventLog.read(from, settings.batchSize());
    if (batch.isEmpty()) {
      return 0;
    }
    long to = batch.getLast().offset();
    transactions.executeWithoutResult(
        status -> {
          consumer.accept(batch);
          offsets.advance(consumer.name(), from, to);
        });
    return batch.size();
  }

  private void drive(EventLogConsumer consumer) {
    Duration backoff = Duration.ofMillis(100);
    while (running) {
      try {
        int handled = step(consumer);
        if (handled == 0) {
          LockSupport.parkNanos(settings.pollInterval().toNanos());
        } else if (handled < settings.batchSize()) {
          Thread.sleep(settings.linger()); // not woken by commits: let more events gather
        }
        backoff = Duration.ofMillis(100);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        if (e instanceof EventLogConsumer.NotYet) {
          log.debug("Consumer '{}' waits: {}; retrying in {} ms", consumer.name(), e.getMessage(), backoff.toMillis());
        } else {
          log.warn("Consumer '{}' failed on a batch; retrying in {} ms", consumer.name(), backoff.toMillis(), e);
        }
        LockSupport.parkNanos(backoff.toNanos());
        backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : backoff.multipliedBy(2);
      }
    }
  }

  @Override
  public synchronized void stop() {
    running = false;
    for (Thread t : threads) {
      LockSupport.unpark(t);
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Starts after the event log and stops before it. */
  @Override
  public int getPhase() {
    return 10;
  }
}
