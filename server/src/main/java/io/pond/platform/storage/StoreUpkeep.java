package io.pond.platform.storage;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Upkeep of the OLTP store that runs as a pass every period on a thread of its own while Pond runs,
 * where the store needs it ({@link H2Compaction}, {@link PostgresStatistics}). A pass is never
 * interrupted (an interrupt during H2's file I/O closes the database): stopping waits for it.
 */
abstract class StoreUpkeep implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StoreUpkeep.class);

  private final String threadName;
  private final long periodMillis;
  private volatile ScheduledExecutorService scheduler;

  StoreUpkeep(String threadName, long periodMillis) {
    this.threadName = threadName;
    this.periodMillis = periodMillis;
  }

  /** Whether this store needs the upkeep; asked once, at start. */
  abstract boolean applies();

  /** One pass. */
  abstract void pass() throws Exception;

  @Override
  public void start() {
    if (!applies()) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::runSafely, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      pass();
    } catch (Exception e) {
      log.debug("{} pass skipped", threadName, e);
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdown(); // no interrupt: see the class comment
      try {
        s.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scheduler = null;
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }
}
