package io.pond.segment.index;

import io.pond.segment.index.domain.BitSlicedIndex;
import io.pond.segment.index.domain.PersonIndex;
import io.pond.segment.model.domain.ModelRules;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one in-memory {@link PersonIndex} of this node, guarded by a read-write lock. Built from the
 * stored facts in the background once the application is ready — reads and changes wait for that
 * first build — and by {@link #rebuild()}; kept current by the
 * listeners, which change the stored facts in their transaction and the bitmaps only after it commits,
 * so that a rolled-back or replayed transaction never counts twice in memory.
 */
@Component
@EnableConfigurationProperties(SegmentProperties.class)
public class SegmentIndex {

  private static final Logger log = LoggerFactory.getLogger(SegmentIndex.class);

  private final Facts facts;
  private final Clock clock;
  private final SegmentProperties properties;
  private final ModelRules rules;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile PersonIndex index = new PersonIndex();
  private volatile Duration lastBuild = Duration.ZERO;
  private final CountDownLatch firstBuild = new CountDownLatch(1);
  private volatile boolean started;
  private final AtomicBoolean pinning = new AtomicBoolean();

  SegmentIndex(Facts facts, Clock clock, SegmentProperties properties) {
    this.facts = facts;
    this.clock = clock;
    this.properties = properties;
    this.rules = properties.models().rules(); // fails start-up on invalid model settings
  }

  /**
   * Builds the index on a background thread once the application is ready, so that a large store
   * does not hold up start-up; reads and changes wait for this first build.
   */
  @EventListener(ApplicationReadyEvent.class)
  void buildAtStart() {
    started = true;
    Thread.ofPlatform().name("segment-index-build").daemon(true).start(() -> {
      try {
        Report report = rebuild();
        log.info("Segment index built from stored facts: {} persons, {} MB of bitmaps in {} ms",
            report.persons(), report.bytes() / (1 << 20), report.took().toMillis());
      } catch (RuntimeException e) {
        log.error("Could not build the segment index from the stored facts; segment counts stay empty until a rebuild", e);
      } finally {
        firstBuild.countDown();
      }
    });
  }

  /** Waits for the build at start (outside a started application, e.g. the CLI, there is none to wait for). */
  private void awaitFirstBuild() {
    if (firstBuild.getCount() == 0 || !started) {
      return;
    }
    try {
      firstBuild.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the segment index was being built", e);
    }
  }

  /** What a build did. */
  public record Report(int persons, long bytes, Duration took) {}

  /** Builds a new index from the stored facts and swaps it in. */
  public Report rebuild() {
    long began = System.nanoTime();
    PersonIndex fresh = new PersonIndex();
    lock.writeLock().lock(); // changes that commit meanwhile wait, so none is lost between read and swap
    try {
      facts.forEach(fresh::load);
      fresh.pruneBefore(today() - properties.retentionDays() + 1);
      fresh.runOptimize();
      fresh.pinBounds(index.pinnedBounds());
      index = fresh;
    } finally {
      lock.writeLock().unlock();
    }
    lastBuild = Duration.ofNanos(System.nanoTime() - began);
    return new Report(fresh.personCount(), fresh.sizeInBytes(), lastBuild);
  }

  public Duration lastBuild() {
    return lastBuild;
  }

  /**
   * Reads the index under the read lock. When the reads have asked a metric bound inside a bin often
   * enough, a background task gives it a bin of its own (see {@code BitSlicedIndex}).
   */
  public <T> T read(Function<PersonIndex, T> query) {
    awaitFirstBuild();
    boolean pin = false;
    lock.readLock().lock();
    try {
      T result = query.apply(index);
      pin = index.wantsBins(BitSlicedIndex.PIN_AFTER);
      return result;
    } finally {
      lock.readLock().unlock();
      pinLater(pin);
    }
  }

  private void pinLater(boolean wanted) {
    if (wanted && pinning.compareAndSet(false, true)) {
      Thread.ofVirtual().name("segment-index-bins").start(() -> {
        try {
          write(i -> {
            int added = i.pinWantedBounds(BitSlicedIndex.PIN_AFTER);
            if (added > 0) {
              log.debug("{} metric bounds in use got bins of their own", added);
            }
          });
        } finally {
          pinning.set(false);
        }
      });
    }
  }

  /** Changes the index after the current transaction commits (at once outside a transaction). */
  public void afterCommit(Consumer<PersonIndex> change) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          write(change);
        }
      });
    } else {
      write(change);
    }
  }

  public void write(Consumer<PersonIndex> change) {
    awaitFirstBuild();
    lock.writeLock().lock();
    try {
      change.accept(index);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Today's epoch day in the brand's time zone. */
  public int today() {
    return (int) LocalDate.now(clock).toEpochDay();
  }

  public int epochDay(java.time.Instant at) {
    return (int) at.atZone(clock.getZone()).toLocalDate().toEpochDay();
  }

  public ModelRules rules() {
    return rules;
  }

  public SegmentProperties properties() {
    return properties;
  }
}
