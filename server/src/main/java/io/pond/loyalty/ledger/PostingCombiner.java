package io.pond.loyalty.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit across accounts. Changes to one account are serial (its row is locked until commit), and
 * every commit waits for the disk, so one transaction per posting caps the ledger at the disk's commit
 * rate. Postings are queued on a <b>lane</b> (accounts are spread over {@code lanes} lanes by a hash of
 * the account; one account always lands on the same lane, so its postings keep their order). The caller
 * that finds its lane idle becomes its leader: it runs everything queued (up to {@link #MAX_BATCH}
 * postings, of any accounts of the lane) in one transaction — each account locked once, accounts in id
 * order — and every caller gets its answer only after that transaction committed: an acknowledgement
 * still means durable. Lanes run in parallel, so a busy ledger keeps several commits in flight, each
 * carrying many postings.
 *
 * <p>When a piece of work throws, the batch's transaction is rolled back (with the events its work
 * published) and run again without it; its caller gets the exception, as if it had run alone. When the
 * transaction itself fails, every caller of the batch gets the failure.
 */
final class PostingCombiner {

  static final int MAX_BATCH = 256;

  /**
   * One caller's posting: which account ({@code target}), what to do with it locked, and whether its
   * rows may be written with the batch's others at the batch's end ({@code deferrable}).
   */
  record Work(Object target, boolean deferrable, Function<PointsLedger.Locked, ?> work, CompletableFuture<Object> done) {}

  private static final class Lane {
    final Queue<Work> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean leading = new AtomicBoolean();
  }

  private final Lane[] lanes;

  PostingCombiner(int lanes) {
    this.lanes = new Lane[Math.max(1, lanes)];
    for (int i = 0; i < this.lanes.length; i++) {
      this.lanes[i] = new Lane();
    }
  }

  /** Runs a batch of work in one transaction; a piece that throws is reported as {@link WorkFailed}. */
  interface BatchTransaction {
    void run(List<Work> batch, Object[] results);
  }

  /**
   * Runs {@code work} on the locked account {@code target}, combined with other callers' work.
   *
   * @param hash spreads accounts over lanes; equal for every posting of one account
   */
  @SuppressWarnings("unchecked")
  <T> T submit(int hash, Object target, boolean deferrable, BatchTransaction inTransaction, Function<PointsLedger.Locked, T> work) {
    Lane lane = lanes[Math.floorMod(hash, lanes.length)];
    Work mine = new Work(target, deferrable, work, new CompletableFuture<>());
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

  /** One piece of work threw: the batch's transaction is rolled back and run again without it. */
  static final class WorkFailed extends RuntimeException {
    final int index;
    final RuntimeException cause;

    WorkFailed(int index, RuntimeException cause) {
      super(null, null, false, false);
      this.index = index;
      this.cause = cause;
    }
  }

  private static void runBatch(Lane lane, BatchTransaction inTransaction) {
    List<Work> batch = new ArrayList<>();
    for (Work w; batch.size() < MAX_BATCH && (w = lane.queue.poll()) != null; ) {
      batch.add(w);
    }
    while (!batch.isEmpty()) {
      Object[] results = new Object[batch.size()];
      List<Work> running = batch;
      try {
        inTransaction.run(running, results);
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
