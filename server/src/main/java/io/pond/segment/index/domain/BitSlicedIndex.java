package io.pond.segment.index.domain;

import java.util.OptionalLong;
import org.roaringbitmap.RoaringBitmap;

/**
 * A bit-sliced index (O'Neil and Quass, 1997) of non-negative {@code long} values per person: slice
 * {@code i} holds the persons whose value has bit {@code i} set, and the existence bitmap the persons
 * that have a value. Range predicates cost one pass over the slices, whatever the number of persons.
 *
 * <p>RoaringBitmap's own BSI ships in a separate artifact that is not on Maven Central, so this is a
 * small one on {@link RoaringBitmap}. Not thread-safe: the owner guards it.
 */
public final class BitSlicedIndex {

  private final RoaringBitmap exists = new RoaringBitmap();
  private RoaringBitmap[] slices = new RoaringBitmap[0];

  /** @throws IllegalArgumentException for a negative value (metrics are counts, fen, days, scores) */
  public void set(int person, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("a bit-sliced index holds non-negative values, not " + value);
    }
    int bits = 64 - Long.numberOfLeadingZeros(value);
    if (bits > slices.length) {
      RoaringBitmap[] grown = java.util.Arrays.copyOf(slices, bits);
      for (int i = slices.length; i < bits; i++) {
        grown[i] = new RoaringBitmap();
      }
      slices = grown;
    }
    for (int i = 0; i < slices.length; i++) {
      if ((value >>> i & 1) == 1) {
        slices[i].add(person);
      } else {
        slices[i].remove(person);
      }
    }
    exists.add(person);
  }

  public void remove(int person) {
    if (exists.checkedRemove(person)) {
      for (RoaringBitmap slice : slices) {
        slice.remove(person);
      }
    }
  }

  public OptionalLong get(int person) {
    if (!exists.contains(person)) {
      return OptionalLong.empty();
    }
    long value = 0;
    for (int i = 0; i < slices.length; i++) {
      if (slices[i].contains(person)) {
        value |= 1L << i;
      }
    }
    return OptionalLong.of(value);
  }

  /** The persons that have a value (a copy). */
  public RoaringBitmap existence() {
    return exists.clone();
  }

  public int bitCount() {
    return slices.length;
  }

  /** Persons whose value is within {@code [min, max]}; a null bound is open. */
  public RoaringBitmap range(Long min, Long max) {
    return range(min, max, null);
  }

  /**
   * Persons of {@code within} (null: everyone) whose value is within {@code [min, max]}. Restricting
   * to a found set first makes every slice operation touch only its members.
   */
  public RoaringBitmap range(Long min, Long max, RoaringBitmap within) {
    RoaringBitmap base = within == null ? exists.clone() : RoaringBitmap.and(exists, within);
    if (max != null && max < 0) {
      return new RoaringBitmap();
    }
    RoaringBitmap result = min == null || min <= 0 ? base : compare(min, true, base.clone());
    if (max != null) {
      result = compare(max, false, result);
    }
    return result;
  }

  /** Of {@code candidates} (consumed), those with {@code value >= v} when {@code atLeast}, else {@code value <= v}. */
  private RoaringBitmap compare(long v, boolean atLeast, RoaringBitmap candidates) {
    int bits = 64 - Long.numberOfLeadingZeros(v);
    if (bits > slices.length) { // v exceeds every stored value
      return atLeast ? new RoaringBitmap() : candidates;
    }
    RoaringBitmap result = new RoaringBitmap();
    RoaringBitmap equal = candidates;
    for (int i = slices.length - 1; i >= 0 && !equal.isEmpty(); i--) {
      boolean one = (v >>> i & 1) == 1;
      if (one != atLeast) {
        // atLeast with bit 0: a 1 here is greater; atMost with bit 1: a 0 here is less
        result.or(atLeast ? RoaringBitmap.and(equal, slices[i]) : RoaringBitmap.andNot(equal, slices[i]));
      }
      if (one) {
        equal.and(slices[i]);
      } else {
        equal.andNot(slices[i]);
      }
    }
    result.or(equal);
    return result;
  }

  /** Builds an index from persons given in ascending order (bulk loads, benchmarks). */
  public static final class Builder {
    private final org.roaringbitmap.RoaringBitmapWriter<RoaringBitmap> exists = org.roaringbitmap.RoaringBitmapWriter.writer().get();
    private final java.util.List<org.roaringbitmap.RoaringBitmapWriter<RoaringBitmap>> slices = new java.util.ArrayList<>();

    /** @param person greater than the previous one */
    public Builder add(int person, long value) {
      if (value < 0) {
        throw new IllegalArgumentException("a bit-sliced index holds non-negative values, not " + value);
      }
      exists.add(person);
      for (long v = value, i = 0; v != 0; v >>>= 1, i++) {
        while (slices.size() <= i) {
          slices.add(org.roaringbitmap.RoaringBitmapWriter.writer().get());
        }
        if ((v & 1) == 1) {
          slices.get((int) i).add(person);
        }
      }
      return this;
    }

    public BitSlicedIndex build() {
      BitSlicedIndex index = new BitSlicedIndex();
      index.exists.or(exists.get());
      index.slices = slices.stream().map(org.roaringbitmap.RoaringBitmapWriter::get).toArray(RoaringBitmap[]::new);
      return index;
    }
  }

  public void runOptimize() {
    exists.runOptimize();
    for (RoaringBitmap slice : slices) {
      slice.runOptimize();
    }
  }

  public long sizeInBytes() {
    long size = exists.getLongSizeInBytes();
    for (RoaringBitmap slice : slices) {
      size += slice.getLongSizeInBytes();
    }
    return size;
  }
}
