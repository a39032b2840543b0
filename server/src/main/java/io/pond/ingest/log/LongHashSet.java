package io.pond.ingest.log;

/**
 * An open-addressing set of {@code long}s (no boxing): the in-memory dedup index holds one 64-bit
 * hash per stored event, about 8–16 bytes each.
 */
final class LongHashSet {

  private static final long EMPTY = 0L;
  private long[] slots;
  /** 64 − log2(slots.length): a value's home slot is the top bits of its mix. */
  private int shift;
  private int size;
  private boolean hasZero;

  LongHashSet() {
    this(1 << 15);
  }

  /** A set sized for about {@code expected} values before it grows. */
  LongHashSet(int expected) {
    slots = new long[Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1];
    shift = 64 - Integer.numberOfTrailingZeros(slots.length);
  }

  boolean contains(long value) {
    if (value == EMPTY) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = home(value, shift); ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == EMPTY) {
        return false;
      }
      if (slot == value) {
        return true;
      }
    }
  }

  void add(long value) {
    addIfAbsent(value);
  }

  /**
   * Adds the value unless present; true when it was added. PERF: one probe of the table where
   * {@code contains} then {@code add} made two (each a likely cache miss in a large set).
   */
  boolean addIfAbsent(long value) {
    if (value == EMPTY) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if ((size + 1) * 2L > slots.length) {
      grow();
    }
    if (insert(slots, shift, value)) {
      size++;
      return true;
    }
    return false;
  }

  /** Removes the value (linear probing: later entries of its run shift back into the gap). */
  void remove(long value) {
    if (value == EMPTY) {
      hasZero = false;
      return;
    }
    int mask = slots.length - 1;
    int i = home(value, shift);
    while (slots[i] != value) {
      if (slots[i] == EMPTY) {
        return;
      }
      i = (i + 1) & mask;
    }
    size--;
    int gap = i;
    for (int j = (gap + 1) & mask; slots[j] != EMPTY; j = (j + 1) & mask) {
      int home = home(slots[j], shift);
      // the entry at j may move to the gap if its home is not cyclically within (gap, j]
      if (((j - home) & mask) >= ((j - gap) & mask)) {
        slots[gap] = slots[j];
        gap = j;
      }
    }
    slots[gap] = EMPTY;
  }

  void forEach(java.util.function.LongConsumer action) {
    if (hasZero) {
      action.accept(EMPTY);
    }
    for (long v : slots) {
      if (v != EMPTY) {
        action.accept(v);
      }
    }
  }

  int size() {
    return size + (hasZero ? 1 : 0);
  }

  private static boolean insert(long[] table, int shift, long value) {
    int mask = table.length - 1;
    for (int i = home(value, shift); ; i = (i + 1) & mask) {
      if (table[i] == EMPTY) {
        table[i] = value;
        return true;
      }
      if (table[i] == value) {
        return false;
      }
    }
  }

  /**
   * PERF: homes are the top bits of the mix, so the table is ordered by them and doubling it
   * moves each entry from slot i to about 2i: the rehash reads and writes memory in order instead
   * of at random (the log's writer, which owns the set, pauses while it grows).
   */
  private void grow() {
    long[] bigger = new long[slots.length * 2];
    int biggerShift = shift - 1;
    for (long v : slots) {
      if (v != EMPTY) {
        insert(bigger, biggerShift, v);
      }
    }
    slots = bigger;
    shift = biggerShift;
  }

  private static int home(long v, int shift) {
    v ^= v >>> 33;
    v *= 0xff51afd7ed558ccdL;
    v ^= v >>> 33;
    return (int) (v >>> shift);
  }
}
