package io.pond.platform.storage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The last few batches of a bulk load's events read back from their stored row, kept decoded: every
 * module's listener reads the same batch within moments of the others, so the row is selected and
 * inflated once instead of once per listener. Only for batches that never change once committed; the
 * lists handed out must not be modified.
 */
public final class DecodedBatches<T> {

  private final Map<Long, List<T>> kept;

  /** @param capacity batches kept, least recently read dropped first */
  public DecodedBatches(int capacity) {
    this.kept =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, List<T>> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * The kept batch, or what {@code read} returns (kept unless empty: an unknown batch may be one whose
   * transaction has not committed yet).
   */
  public List<T> get(long batchId, LongFunction<List<T>> read) {
    synchronized (kept) {
      List<T> batch = kept.get(batchId);
      if (batch != null) {
        return batch;
      }
    }
    List<T> batch = List.copyOf(read.apply(batchId));
    if (!batch.isEmpty()) {
      synchronized (kept) {
        kept.put(batchId, batch);
      }
    }
    return batch;
  }

  /** Forgets every kept batch (after the stored rows were pruned). */
  public void clear() {
    synchronized (kept) {
      kept.clear();
    }
  }
}
