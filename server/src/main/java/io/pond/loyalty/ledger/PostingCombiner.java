package io.pond.loyalty.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit per account. Changes to one account are serial (its row is locked until commit), so a
 * hot account could take no more postings per second than the disk takes commits. Callers that find
 * another thread already posting to the account queue their work instead; the thread that holds the
 * account's lane runs everything queued (up to {@link #MAX_BATCH}) in one transaction under one lock,
 * and every caller gets its answer only after that transaction committed: an acknowledgement still
 * means durable.
 *
 * <p>When a piece of work throws, the batch's transaction is rolled back (with the events its work
 * published) and run again without it; its caller gets the exception. When the transaction itself
 * fails, every caller of the batch gets the failure.
 */
final class PostingCombiner {

  static final int MAX_BATCH = 256;

  private record Work(Function<PointsLedger.Locked, ?> work, CompletableFuture<Object> done) {}

  private static final class Lane {
    final Queue<Work> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean leading = new AtomicBoolean();
  }

  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * Runs {@code work} on the locked account, combined with other callers' work on the same account.
   *
   * @param inTransaction runs the batch in one transaction (retried on lock conflicts) with the account locked
   */
  @SuppressWarnings("unchecked")
  <T> T submit(String account, LockedTransaction inTransaction, Function<PointsLedger.Locked, T> work) {
    Lane lane = lanes.computeIfAbsent(account, k -> new Lane());
    Work mine = new Work(work, new CompletableFuture<>());
    lane.queue.add(mine);
    // Whoever takes the lane runs batches until the queue is empty, then lets go and looks again: work
    // queued while the lane was held is either seen by that look or its own caller takes the lane.
    while (!lane.queue.isEmpty() && lane.leading.compareAndSet(false, true)) {
      try {
        while (!lane.queue.isEmpty()) {
          runBatch(lane, inTransaction);
        }
      } finally {
        lane.leading.set(false);
      }
    }
    if (lane.queue.isEmpty()) {
      lanes.remove(account, lane);
    }
    try {
      return (T) mine.done().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a batch of work on one locked account in one transaction. */
  interface LockedTransaction {
    void run(Function<PointsLedger.Locked, Void> batch);
  }

  /** One piece of work threw: the batch's transaction is rolled back and run again without it. */
  private static final class WorkFailed extends RuntimeException {
    final int index;
    final RuntimeException cause;

    WorkFailed(int index, RuntimeException cause) {
      super(null, null, false, false);
      this.index = index;
      this.cause = cause;
    }
  }

  private static void runBatch(Lane lane, LockedTransaction inTransaction) {
    List<Work> batch = new ArrayList<>();
    for (Work w; batch.size() < MAX_BATCH && (w = lane.queue.poll()) != null; ) {
      batch.add(w);
    }
    while (!batch.isEmpty()) {
      Object[] results = new Object[batch.size()];
      List<Work> running = batch;
      try {
        inTransaction.run(
            locked -> {
              for (int i = 0; i < running.size(); i++) {
                try {
                  results[i] = running.get(i).work().apply(locked);
                } catch (RuntimeException e) {
                  if (running.size() == 1) {
                    throw e;
                  }
                  throw new WorkFailed(i, e);
                }
              }
              return null;
            });
      } catch (WorkFailed failed) {
        // PERF: rare (validation passed before the work was queued); rolling back the whole batch keeps
        // every caller's work as if in its own transaction, events included
        batch = new ArrayList<>(running);
        batch.remove(failed.index).done().completeExceptionally(failed.cause);
        continue;
      } catch (RuntimeException | Error e) {
        running.forEach(w -> w.done().completeExceptionally(e));
        return;
      }
      for (int i = 0; i < running.size(); i++) {
        running.get(i).done().complete(results[i]);
      }
      return;
    }
  }
}
