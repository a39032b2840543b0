package io.pond.identity.graph.domain;

/**
 * A map from long to long in two arrays (open addressing), for idempotency fingerprints → where the
 * evidence is in the log: 16–32 bytes an entry, no objects. Key 0 is kept aside; a missing key answers
 * -1, so values must be non-negative.
 */
public final class LongLongMap {

  private long[] keys;
  private long[] values;
  private int size;
  private long zeroValue = -1;

  public LongLongMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    keys = new long[capacity];
    values = new long[capacity];
  }

  public int size() {
    return size + (zeroValue >= 0 ? 1 : 0);
  }

  /** The value of a key, or -1. */
  public long get(long key) {
    if (key == 0) {
      return zeroValue;
    }
    int mask = keys.length - 1;
    for (int i = LongHashSet.mix(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == 0) {
        return -1;
      }
      if (k == key) {
        return values[i];
      }
    }
  }

  /** Puts the value unless the key is present; returns true when it was added. */
  public boolean putIfAbsent(long key, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("values must be non-negative");
    }
    if (key == 0) {
      if (zeroValue >= 0) {
        return false;
      }
      zeroValue = value;
      return true;
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = LongHashSet.mix(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == 0) {
        keys[i] = key;
        values[i] = value;
        size++;
        return true;
      }
      if (k == key) {
        return false;
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        putIfAbsent(oldKeys[i], oldValues[i]);
      }
    }
  }

  /** Bytes held by the arrays. */
  public long bytes() {
    return 16L * keys.length;
  }
}
