package io.pond.segment.index.domain;

import java.util.OptionalLong;
import org.roaringbitmap.RoaringBitmap;

/**
 * A bit-sliced index (O'Neil and Quass, 1997) of non-negative {@code long} values per person: slice
 * {@code i} holds the persons whose value has bit {@code i} set, and the existence bitmap the persons
 * that have a value. Range predicates cost one pass over the slices, whatever the number of persons.
 *
 * <p>Next to the slices, a few <b>range-encoded bins</b> (a binned bitmap index, as FastBit's): bin
 * {@code k} starts at {@code lower[k]} (bin 0 at 0), and {@code atLeast[k]} holds the persons whose
 * value is at least {@code lower[k]}. The bounds are quantiles of the values when the index is built
 * or {@linkplain #rebin() rebinned}; every {@link #set}/{@link #remove} keeps the bitmaps exact, so a
 * skewed update stream makes the bins uneven, never wrong. A range then reads one or two bin bitmaps
 * per bound, and the slices only for the few persons in a bound's own bin ({@link Conjunction}).
 *
 * <p><b>Bounds in use become bins.</b> A bound that falls inside a bin costs a comparison on the
 * slices for that bin's persons — most of a count's time (a cache miss per slice for each of them).
 * The segments a brand uses ask the same bounds again and again (saved segments and rule tags are
 * re-counted as data changes, a live count re-evaluates its expression at each edit), so each such
 * bound is {@linkplain #want(long) noted}, and once asked {@link #PIN_AFTER} times the owner
 * {@linkplain #pinWanted(int) pins} it: it gets a bin of its own, kept through rebins, and a range on
 * it is then bitmap operations only. At most {@link #MAX_PINNED} bounds are pinned per index; the one
 * least recently asked makes way.
 *
 * <p>RoaringBitmap's own BSI ships in a separate artifact that is not on Maven Central, so this is a
 * small one on {@link RoaringBitmap}. Not thread-safe: the owner guards it.
 */
public final class BitSlicedIndex {

  /** Bins per index when it is built or rebinned (each a bitmap of up to one bit per person). */
  public static final int BINS = 16;
  /** Below this many persons an index keeps no bins (the slices are small anyway). */
  static final int MIN_BINNED = 1 << 14;
  private static final long[] NO_BOUNDS = {0};
  /** Asks of a bound inside a bin before it gets a bin of its own. */
  public static final int PIN_AFTER = 2;
  /** Pinned bounds per index (each a bitmap of up to one bit per person). */
  public static final int MAX_PINNED = 16;

  private final RoaringBitmap exists = new RoaringBitmap();
  private RoaringBitmap[] slices = new RoaringBitmap[0];
  private long count;
  /** Bin {@code k} holds the values in {@code [lower[k], lower[k + 1])}; {@code lower[0] == 0}. */
  private long[] lower = NO_BOUNDS;
  /** {@code atLeast[k]}: persons whose value is at least {@code lower[k]}, for {@code k >= 1}; [0] unused. */
  private RoaringBitmap[] atLeast = new RoaringBitmap[1];
  /** Rebins by itself when the persons double (values set one at a time from empty). */
  private long rebinAt = MIN_BINNED;
  /** The bounds of the last rebin's quantile bins (without pinned ones), ascending. */
  private long[] quantiles = NO_BOUNDS;
  /** Pinned bounds, each with when it was last asked (a tick; readers update it concurrently). */
  private final java.util.concurrent.ConcurrentHashMap<Long, Long> pinned = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
  /**
   * Bounds asked that fell inside a bin, with how often: written by concurrent readers (counts run
   * under the owner's read lock), taken by {@link #pinWanted} under its write lock.
   */
  private final java.util.concurrent.ConcurrentHashMap<Long, java.util.concurrent.atomic.AtomicInteger> wanted =
      new java.util.concurrent.ConcurrentHashMap<>();

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
    for (int k = 1; k < lower.length; k++) {
      if (value >= lower[k]) {
        atLeast[k].add(person);
      } else {
        atLeast[k].remove(person);
      }
    }
    if (exists.checkedAdd(person) && ++count >= rebinAt) {
      rebin();
    }
  }

  public void remove(int person) {
    if (exists.checkedRemove(person)) {
      count--;
      for (RoaringBitmap slice : slices) {
        slice.remove(person);
      }
      for (int k = 1; k < lower.length; k++) {
        atLeast[k].remove(person);
      }
    }
  }

  /**
   * Recomputes the bins from the current values: {@link #BINS} bins whose bounds are quantiles of a
   * sample of the values (fewer when values repeat), none below {@link #MIN_BINNED} persons. Called
   * after bulk loads and rebuilds; also by {@link #set} each time the persons double.
   */
  public void rebin() {
    rebin(count < MIN_BINNED ? 1 : BINS);
  }

  /** Recomputes {@code bins} bins (1: none, the slices alone answer ranges). */
  void rebin(int bins) {
    rebinAt = Math.max(MIN_BINNED, 2 * count);
    lower = NO_BOUNDS;
    atLeast = new RoaringBitmap[1];
    quantiles = NO_BOUNDS;
    if (bins < 2 || count == 0) {
      pinned.clear(); // no bins at all: ranges are small enough for the slices alone
      return;
    }
    int samples = (int) Math.min(count, 64L * bins * 16);
    long[] sample = new long[samples];
    for (int j = 0; j < samples; j++) {
      sample[j] = get(exists.select((int) (j * count / samples))).getAsLong();
    }
    java.util.Arrays.sort(sample);
    long[] bounds = new long[bins];
    int m = 1;
    for (int k = 1; k < bins; k++) {
      long q = sample[(int) ((long) k * samples / bins)];
      if (q > bounds[m - 1]) {
        bounds[m++] = q;
      }
    }
    quantiles = java.util.Arrays.copyOf(bounds, m);
    long[] all = java.util.stream.LongStream.concat(java.util.Arrays.stream(quantiles),
        pinned.keySet().stream().mapToLong(Long::longValue)).sorted().distinct().toArray();
    RoaringBitmap[] ge = new RoaringBitmap[all.length];
    for (int k = 1; k < all.length; k++) {
      ge[k] = range(all[k], null); // the slices alone: no bins yet
      ge[k].runOptimize();
    }
    lower = all;
    atLeast = ge;
  }

  /**
   * Notes that a range asked for {@code bound} ({@code value >= bound}, or {@code value < bound} for
   * an upper bound of {@code bound - 1}) while it falls inside a bin. Safe from concurrent readers.
   */
  void want(long bound) {
    if (lower.length > 1 && bound > 0 && wanted.size() < 4 * MAX_PINNED) {
      wanted.computeIfAbsent(bound, b -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
    }
  }

  /** Notes that a range asked for {@code bound} on a bin bound (keeps a pinned bound's bin). */
  void asked(long bound) {
    if (pinned.containsKey(bound)) {
      pinned.put(bound, ticks.incrementAndGet());
    }
  }

  /** Whether a bound has been asked at least {@code times} times without a bin of its own. */
  public boolean wants(int times) {
    for (var asked : wanted.values()) {
      if (asked.get() >= times) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gives each bound asked at least {@code times} times a bin of its own (the owner holds its write
   * lock); forgets the others' asks. Returns how many bins were added.
   */
  public int pinWanted(int times) {
    int added = 0;
    for (var e : wanted.entrySet()) {
      if (e.getValue().get() >= times && pin(e.getKey())) {
        added++;
      }
    }
    wanted.clear();
    return added;
  }

  /**
   * Pins {@code bound}: a bin starting there, kept through rebins; beyond {@link #MAX_PINNED}, the
   * pinned bound least recently asked loses its bin (unless a quantile bin starts there). True when a bin
   * was added.
   */
  public boolean pin(long bound) {
    if (lower.length < 2 || bound <= 0) {
      return false; // no bins, or the existence bitmap is the bin
    }
    pinned.put(bound, ticks.incrementAndGet());
    boolean added = false;
    int at = java.util.Arrays.binarySearch(lower, bound);
    if (at < 0) {
      RoaringBitmap ge = range(bound, null);
      ge.runOptimize();
      wanted.remove(bound); // noted by the range just taken
      at = -at - 1;
      lower = insert(lower, at, bound);
      RoaringBitmap[] grown = new RoaringBitmap[atLeast.length + 1];
      System.arraycopy(atLeast, 0, grown, 0, at);
      grown[at] = ge;
      System.arraycopy(atLeast, at, grown, at + 1, atLeast.length - at);
      atLeast = grown;
      added = true;
    }
    if (pinned.size() > MAX_PINNED) {
      long eldest = pinned.entrySet().stream().min(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
      pinned.remove(eldest);
      int k = java.util.Arrays.binarySearch(lower, eldest);
      if (k > 0 && java.util.Arrays.binarySearch(quantiles, eldest) < 0) {
        long[] fewer = new long[lower.length - 1];
        System.arraycopy(lower, 0, fewer, 0, k);
        System.arraycopy(lower, k + 1, fewer, k, lower.length - k - 1);
        RoaringBitmap[] less = new RoaringBitmap[atLeast.length - 1];
        System.arraycopy(atLeast, 0, less, 0, k);
        System.arraycopy(atLeast, k + 1, less, k, atLeast.length - k - 1);
        lower = fewer;
        atLeast = less;
      }
    }
    return added;
  }

  private static long[] insert(long[] values, int at, long value) {
    long[] out = new long[values.length + 1];
    System.arraycopy(values, 0, out, 0, at);
    out[at] = value;
    System.arraycopy(values, at, out, at + 1, values.length - at);
    return out;
  }

  /** The pinned bounds, least recently asked first. */
  public java.util.List<Long> pinned() {
    return pinned.entrySet().stream().sorted(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).toList();
  }

  /** The bins' lower bounds, {@code [0] == 0} (read only). */
  long[] binLowerView() {
    return lower;
  }

  /** Persons whose value is at least {@code binLowerView()[k]}, for {@code k >= 1} (read only). */
  RoaringBitmap binView(int k) {
    return k == 0 ? exists : atLeast[k];
  }

  /** How many bins (1: none). */
  public int binCount() {
    return lower.length;
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

    /** The index, with its bins. */
    public BitSlicedIndex build() {
      BitSlicedIndex index = new BitSlicedIndex();
      index.exists.or(exists.get());
      index.count = index.exists.getLongCardinality();
      index.slices = slices.stream().map(org.roaringbitmap.RoaringBitmapWriter::get).toArray(RoaringBitmap[]::new);
      index.rebin();
      return index;
    }
  }

  /** Compacts runs and recomputes the bins (after a bulk load or a rebuild). */
  public void runOptimize() {
    exists.runOptimize();
    for (RoaringBitmap slice : slices) {
      slice.runOptimize();
    }
    rebin();
  }

  public long sizeInBytes() {
    long size = exists.getLongSizeInBytes();
    for (RoaringBitmap slice : slices) {
      size += slice.getLongSizeInBytes();
    }
    for (int k = 1; k < lower.length; k++) {
      size += atLeast[k].getLongSizeInBytes();
    }
    return size;
  }
}
