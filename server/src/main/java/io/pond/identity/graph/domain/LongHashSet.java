package io.pond.identity.graph.domain;

import java.util.Arrays;

/**
 * A set of longs in one array (open addressing), for fingerprints of idempotency keys: 8–16 bytes an
 * entry instead of ~60 for a {@code HashSet<Long>}. Zero is stored as a separate flag.
 */
public final class LongHashSet {

  private long[] slots;
  private int size;
  private boolean hasZero;

  public LongHashSet(int expected) {
    slots = new long[Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1];
  }

  public int size() {
    return size + (hasZero ? 1 : 0);
  }

  public boolean contains(long value) {
    if (value == 0) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
      long v = slots[i];
      if (v == 0) {
        return false;
      }
      if (v == value) {
        return true;
      }
    }
  }

  /** @return true when the value was not in the set */
  public boolean add(long value) {
    if (value == 0) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    for (int i = mix(value) & mask; ; i = (i + 1) & mask) {
      long v = slots[i];
      if (v == 0) {
        slots[i] = value;
        size++;
        return true;
      }
      if (v == value) {
        return false;
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    size = 0;
    for (long v : old) {
      if (v != 0) {
        add(v);
      }
    }
  }

  static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** A 64-bit fingerprint of a string (FNV-1a), for {@link #add} and {@link #contains}. */
  public static long fingerprint(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public String toString() {
    return "LongHashSet[" + size() + "]" + (slots.length > 0 ? "" : Arrays.toString(slots));
  }
}
