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
   * Persons of {@code within} (null: everyone) whose value is within {@code [min, max]}: O'Neil's
   * comparison restricted to the found set, word by word ({@link Conjunction}).
   */
  public RoaringBitmap range(Long min, Long max, RoaringBitmap within) {
    Conjunction c = new Conjunction();
    if (within != null) {
      c.and(within);
    }
    return c.andRange(this, min, max).bitmap();
  }

  /** The existence bitmap itself (read only). */
  RoaringBitmap existsView() {
    return exists;
  }

  /** The slices themselves, lowest bit first (read only). */
  RoaringBitmap[] slicesView() {
    return slices;
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
