package io.pond.segment.index;

import io.pond.segment.index.domain.BitSlicedIndex;
import io.pond.segment.index.domain.PersonIndex;
import io.pond.segment.model.domain.ModelRules;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 *
 * <p>Between a listener's commit and its change of the bitmaps another listener could read the
 * person's stored facts (a merge reloads the survivor from them) or a rebuild could read them all; the
 * change would then be lost or counted twice. So every transaction that changes a person's facts first
 * takes the person's lock ({@link #lockPersons}) and keeps it until its bitmap changes are applied;
 * a rebuild takes every lock. Locks are taken in ascending order, which also keeps two listeners
 * writing facts of the same persons from deadlocking in the database.
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
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  private static final int STRIPES = 1024;
  private static final long OUT_OF_ORDER_WAIT_SECONDS = 30;

  SegmentIndex(Facts facts, Clock clock, SegmentProperties properties) {
    this.facts = facts;
    this.clock = clock;
    this.properties = properties;
    this.rules = properties.models().rules(); // fails start-up on invalid model settings
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
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
    // a thread holding person locks must not wait: the build waits for those locks (and will read
    // this thread's facts once they are released, so its changes to the index being replaced are moot)
    if (firstBuild.getCount() == 0 || !started || TransactionSynchronizationManager.hasResource(this)) {
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
    // no listener is between its commit and its bitmap change while the facts are read and swapped in
    BitSet taken = lockStripes(allStripes(), new BitSet());
    lock.writeLock().lock();
    try {
      facts.forEach(fresh::load);
      fresh.pruneBefore(today() - properties.retentionDays() + 1);
      fresh.runOptimize();
      fresh.pinBounds(index.pinnedBounds());
      index = fresh;
    } finally {
      lock.writeLock().unlock();
      unlockStripes(taken);
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

  /**
   * Takes the persons' locks for the current transaction: they are held until it has completed, after
   * its {@link #afterCommit} changes ran. Call before changing their stored facts; calling again in the
   * same transaction adds persons (a lock out of ascending order is waited for at most 30 s, then this
   * fails and the delivery is retried). Outside a transaction there is nothing to hold.
   */
  public void lockPersons(Collection<Integer> persons) {
    if (!TransactionSynchronizationManager.isSynchronizationActive() || persons.isEmpty()) {
      return;
    }
    awaitFirstBuild(); // before the first lock: the build waits for the locks
    Held held = (Held) TransactionSynchronizationManager.getResource(this);
    if (held == null) {
      held = new Held();
      TransactionSynchronizationManager.bindResource(this, held);
      TransactionSynchronizationManager.registerSynchronization(held);
    }
    BitSet wanted = new BitSet(STRIPES);
    persons.forEach(p -> wanted.set(Math.floorMod(p, STRIPES)));
    held.stripes.or(lockStripes(wanted, held.stripes));
  }

  public void lockPersons(int... persons) {
    lockPersons(java.util.Arrays.stream(persons).boxed().toList());
  }

  /**
   * Returns once every fact change committed before the call is in the bitmaps (its listener has
   * applied it), e.g. before comparing the bitmaps with a rebuild.
   */
  public void settle() {
    unlockStripes(lockStripes(allStripes(), new BitSet()));
  }

  private static BitSet allStripes() {
    BitSet all = new BitSet(STRIPES);
    all.set(0, STRIPES);
    return all;
  }

  /** Locks the wanted stripes not already held, ascending; returns those it locked. */
  private BitSet lockStripes(BitSet wanted, BitSet held) {
    BitSet taking = (BitSet) wanted.clone();
    taking.andNot(held);
    int highestHeld = held.length() - 1;
    BitSet taken = new BitSet(STRIPES);
    try {
      for (int s = taking.nextSetBit(0); s >= 0; s = taking.nextSetBit(s + 1)) {
        if (s > highestHeld) {
          stripes[s].lock();
        } else if (!stripes[s].tryLock(OUT_OF_ORDER_WAIT_SECONDS, TimeUnit.SECONDS)) {
          throw new IllegalStateException("segment facts of these persons are locked by another change; retried later");
        }
        taken.set(s);
      }
      return taken;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unlockStripes(taken);
      throw new IllegalStateException("interrupted while waiting for the persons' segment locks", e);
    } catch (RuntimeException e) {
      unlockStripes(taken);
      throw e;
    }
  }

  private void unlockStripes(BitSet taken) {
    for (int s = taken.nextSetBit(0); s >= 0; s = taken.nextSetBit(s + 1)) {
      stripes[s].unlock();
    }
  }

  /** The locks one transaction holds; released when it has completed (after every afterCommit). */
  private final class Held implements TransactionSynchronization {
    final BitSet stripes = new BitSet(STRIPES);

    @Override
    public void suspend() {
      TransactionSynchronizationManager.unbindResource(SegmentIndex.this);
    }

    @Override
    public void resume() {
      TransactionSynchronizationManager.bindResource(SegmentIndex.this, this);
    }

    @Override
    public void afterCompletion(int status) {
      TransactionSynchronizationManager.unbindResourceIfPossible(SegmentIndex.this);
      unlockStripes(stripes);
      stripes.clear();
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
