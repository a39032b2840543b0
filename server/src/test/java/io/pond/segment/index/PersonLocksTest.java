package io.pond.segment.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.segment.index.domain.PersonIndex;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * A listener's bitmap change comes after its commit; another transaction that changes the same person
 * (a merge reloading the survivor, an event counting) must not read or write in between, or the
 * change is lost or counted twice. {@link SegmentIndex#lockPersons} holds a person until the
 * transaction that locked it has applied its bitmap changes.
 */
class PersonLocksTest {

  private final SegmentIndex index = new SegmentIndex(null, Clock.systemUTC(), new SegmentProperties(List.of(), null, 400,
      Duration.ofMinutes(5), Duration.ofSeconds(30), new SegmentProperties.Models(List.of(), List.of(), 365, 2, true, 30, 30, 180, 3)));
  private final Executor threads = Executors.newCachedThreadPool(); // the common pool has one thread on two cores

  @Test
  void a_second_change_of_the_person_waits_until_the_first_one_is_in_the_bitmaps() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<Void> first = CompletableFuture.runAsync(() -> inTransaction(() -> {
      index.lockPersons(7);
      index.afterCommit(i -> i.addPerson(7));
      locked.countDown();
      await(commit);
    }), threads);
    locked.await();
    CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> inTransaction(() -> {
      index.lockPersons(7);
      return index.read(PersonIndex::personCount); // what a merge would reload from
    }), threads);
    CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> inTransaction(() -> {
      index.lockPersons(8);
      return index.read(PersonIndex::personCount);
    }), threads);
    assertThat(other.get(5, TimeUnit.SECONDS)).as("another person is not held up").isZero();
    Thread.sleep(200);
    assertThat(second).as("waits while the first is between commit and bitmaps").isNotDone();
    commit.countDown();
    first.get(5, TimeUnit.SECONDS);
    assertThat(second.get(5, TimeUnit.SECONDS)).as("sees the first change applied").isEqualTo(1);
  }

  @Test
  void a_rebuild_and_settle_wait_for_held_persons_and_locks_are_released_on_rollback() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch end = new CountDownLatch(1);
    CompletableFuture<Void> rolledBack = CompletableFuture.runAsync(() -> {
      TransactionSynchronizationManager.initSynchronization();
      try {
        index.lockPersons(List.of(900, 3)); // ascending whatever the order given
        index.lockPersons(List.of(5)); // out of order within the transaction: still taken
        locked.countDown();
        await(end);
        List<TransactionSynchronization> syncs = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationUtils.invokeAfterCompletion(syncs, TransactionSynchronization.STATUS_ROLLED_BACK);
      } finally {
        TransactionSynchronizationManager.clearSynchronization();
      }
    }, threads);
    locked.await();
    CompletableFuture<Void> settled = CompletableFuture.runAsync(index::settle, threads);
    Thread.sleep(200);
    assertThat(settled).isNotDone();
    end.countDown();
    rolledBack.get(5, TimeUnit.SECONDS);
    settled.get(5, TimeUnit.SECONDS);
    assertThat(inTransaction(() -> {
      index.lockPersons(3, 5, 900);
      return true;
    })).isTrue();
  }

  /** Runs the work as a committed transaction would: afterCommit, then afterCompletion. */
  private static <T> T inTransaction(java.util.function.Supplier<T> work) {
    TransactionSynchronizationManager.initSynchronization();
    try {
      T result = work.get();
      List<TransactionSynchronization> syncs = TransactionSynchronizationManager.getSynchronizations();
      TransactionSynchronizationUtils.invokeAfterCommit(syncs);
      TransactionSynchronizationUtils.invokeAfterCompletion(syncs, TransactionSynchronization.STATUS_COMMITTED);
      return result;
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }
  }

  private static void inTransaction(Runnable work) {
    inTransaction(() -> {
      work.run();
      return null;
    });
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
