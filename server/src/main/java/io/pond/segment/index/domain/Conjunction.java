package io.pond.segment.index.domain;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.ContainerPointer;
import org.roaringbitmap.RoaringBitmap;

/**
 * An AND of bitmaps, negated bitmaps and bit-sliced ranges, evaluated in one pass, 65,536 persons
 * (one RoaringBitmap container) at a time, 64 persons (one word) at a time within: the positive
 * operands are ANDed into the found set first, the negated ones removed, and only then is each range
 * evaluated — O'Neil's comparison from the highest slice down, <em>restricted to the found set</em>:
 * a word with no person left costs nothing, and a word stops as soon as none of its persons is still
 * equal to a bound's prefix (with few persons per word, after a few slices). No intermediate bitmap
 * is materialised, nothing of the index is copied (bitmap containers are read in place), and a count
 * never builds its result. Large inputs are split across the cores by container.
 *
 * <p>The operands are read only; the caller holds the index's read lock for the whole evaluation.
 */
public final class Conjunction {

  /**
   * What is left of a range on a bit-sliced index once its bins are ANDed into the found set: the
   * persons whose value must still be compared with {@code min} (all of the found set, or those not in
   * {@code lowNext}: the lower bound's own bin) and with {@code max} (all, or those in {@code highBin}),
   * from slice {@code top} down. Without bins: every person, from the highest slice.
   */
  private record Range(BitSlicedIndex index, long min, long max, boolean checkMin, RoaringBitmap lowNext,
                       boolean checkMax, RoaringBitmap highBin, int top) {}

  private static final long[] ZEROS = new long[1024];
  private static final long[] ONES = new long[1024];

  static {
    Arrays.fill(ONES, -1L);
  }
  /** Containers per parallel split; below two splits' worth the evaluation stays on the caller's thread. */
  private static final int SPLIT = 16;
  private static final MethodHandle BITMAP_WORDS = bitmapWords();

  private final List<RoaringBitmap> positives = new ArrayList<>();
  private final List<RoaringBitmap> negatives = new ArrayList<>();
  private final List<Range> ranges = new ArrayList<>();
  private boolean empty;

  /** Persons in {@code bitmap}. */
  public Conjunction and(RoaringBitmap bitmap) {
    positives.add(bitmap);
    empty |= bitmap.isEmpty();
    return this;
  }

  /** Persons not in {@code bitmap}. */
  public Conjunction andNot(RoaringBitmap bitmap) {
    if (!bitmap.isEmpty()) {
      negatives.add(bitmap);
    }
    return this;
  }

  /**
   * Persons with a value in {@code [min, max]} on the index (null: no such metric, nobody). With bins,
   * whole bins are bitmap operands: {@code value >= min} is {@code atLeast[bin(min)]}, and {@code value
   * <= max} is {@code NOT atLeast[j]} when {@code max + 1} starts bin {@code j}, else {@code NOT
   * atLeast[j + 1]} for the bin {@code j} of {@code max + 1}. Only a bound that falls inside a bin leaves
   * that bin's persons to the slices, and only those of them the other operands left.
   */
  public Conjunction andRange(BitSlicedIndex index, Long min, Long max) {
    if (index == null || (max != null && max < 0) || (min != null && max != null && min > max)) {
      empty = true;
      return this;
    }
    int bits = index.bitCount();
    if (min != null && min > 0 && (bits < 63 && min >= 1L << bits)) {
      empty = true; // above every stored value
      return this;
    }
    Long lower = min == null || min <= 0 ? null : min;
    Long upper = max == null || max == Long.MAX_VALUE || (bits < 63 && max >= (1L << bits) - 1) ? null : max;
    long[] bins = index.binLowerView();
    if (bins.length < 2) {
      and(index.existsView());
      if (lower != null || upper != null) {
        ranges.add(new Range(index, lower == null ? 0 : lower, upper == null ? 0 : upper, lower != null, null,
            upper != null, null, bits - 1));
      }
      return this;
    }
    long top = bits < 63 ? (1L << bits) - 1 : Long.MAX_VALUE; // the highest value a bin may hold
    boolean checkMin = false;
    boolean checkMax = false;
    RoaringBitmap lowNext = null;
    RoaringBitmap highBin = null;
    int from = -1;
    int lowBin = lower == null ? 0 : bin(bins, lower);
    and(index.binView(lowBin)); // bin 0: the existence bitmap
    if (lower != null && bins[lowBin] == lower) {
      index.asked(lower);
    } else if (lower != null) {
      index.want(lower);
      checkMin = true;
      lowNext = lowBin + 1 < bins.length ? index.binView(lowBin + 1) : null;
      from = Math.max(from, highestDifferingBit(bins, lowBin, top));
    }
    if (upper != null) {
      long above = upper + 1;
      int highBin0 = bin(bins, above);
      if (bins[highBin0] == above) {
        index.asked(above);
        andNot(index.binView(highBin0));
      } else {
        index.want(above);
        if (highBin0 + 1 < bins.length) {
          andNot(index.binView(highBin0 + 1));
        }
        checkMax = true;
        highBin = highBin0 == 0 ? null : index.binView(highBin0);
        from = Math.max(from, highestDifferingBit(bins, highBin0, top));
      }
    }
    if (checkMin || checkMax) {
      ranges.add(new Range(index, checkMin ? lower : 0, checkMax ? upper : 0, checkMin, lowNext, checkMax, highBin, from));
    }
    return this;
  }

  /** The bin of {@code value}: the last bin whose lower bound is at most the value. */
  private static int bin(long[] lowerBounds, long value) {
    int i = java.util.Arrays.binarySearch(lowerBounds, value);
    return i >= 0 ? i : -i - 2;
  }

  /** Above this bit, every value of bin {@code k} has the same bits (those of the bin's lower bound). */
  private static int highestDifferingBit(long[] lowerBounds, int k, long top) {
    long last = k + 1 < lowerBounds.length ? lowerBounds[k + 1] - 1 : top;
    return 63 - Long.numberOfLeadingZeros(lowerBounds[k] ^ last);
  }

  /** How many persons match. Needs at least one positive operand or range. */
  public long count() {
    Plan plan = plan();
    if (plan == null) {
      return 0;
    }
    int chunks = plan.keys.length;
    if (chunks < 2 * SPLIT || Runtime.getRuntime().availableProcessors() < 2) {
      return plan.count(0, chunks, Scratch.of(plan));
    }
    AtomicLong total = new AtomicLong();
    IntStream.range(0, (chunks + SPLIT - 1) / SPLIT).parallel()
        .forEach(s -> total.addAndGet(plan.count(s * SPLIT, Math.min(chunks, (s + 1) * SPLIT), Scratch.of(plan))));
    return total.get();
  }

  /** The matching persons, as a new bitmap. Needs at least one positive operand or range. */
  public RoaringBitmap bitmap() {
    Plan plan = plan();
    RoaringBitmap out = new RoaringBitmap();
    if (plan == null) {
      return out;
    }
    int chunks = plan.keys.length;
    Container[] found = new Container[chunks];
    if (chunks < 2 * SPLIT || Runtime.getRuntime().availableProcessors() < 2) {
      plan.containers(0, chunks, Scratch.of(plan), found);
    } else {
      IntStream.range(0, (chunks + SPLIT - 1) / SPLIT).parallel()
          .forEach(s -> plan.containers(s * SPLIT, Math.min(chunks, (s + 1) * SPLIT), Scratch.of(plan), found));
    }
    for (int i = 0; i < chunks; i++) {
      if (found[i] != null) {
        out.append(plan.keys[i], found[i]);
      }
    }
    return out;
  }

  // ---- the plan: for every container key of the driving operand, each operand's container --------

  private Plan plan() {
    if (empty) {
      return null;
    }
    if (positives.isEmpty()) {
      throw new IllegalStateException("a conjunction needs a positive operand");
    }
    // the operand with the fewest containers drives; the others are looked up by key
    List<RoaringBitmap> ordered = new ArrayList<>(positives);
    ordered.sort(java.util.Comparator.comparingInt(RoaringBitmap::getContainerCount)
        .thenComparingLong(RoaringBitmap::getLongCardinality));
    Chunks driver = new Chunks(ordered.get(0));
    int n = driver.keys.length;
    Container[][] pos = new Container[ordered.size()][];
    pos[0] = driver.containers;
    for (int p = 1; p < ordered.size(); p++) {
      pos[p] = new Chunks(ordered.get(p)).align(driver.keys);
    }
    Container[][] neg = new Container[negatives.size()][];
    for (int p = 0; p < negatives.size(); p++) {
      neg[p] = new Chunks(negatives.get(p)).align(driver.keys);
    }
    // ranges: the most selective first would need statistics; the order given is kept
    Container[][][] slices = new Container[ranges.size()][][];
    Container[][] lowNext = new Container[ranges.size()][];
    Container[][] highBin = new Container[ranges.size()][];
    for (int r = 0; r < ranges.size(); r++) {
      Range range = ranges.get(r);
      RoaringBitmap[] s = range.index.slicesView();
      slices[r] = new Container[range.top + 1][]; // the slices above are the same for every candidate
      for (int b = 0; b <= range.top; b++) {
        slices[r][b] = new Chunks(s[b]).align(driver.keys);
      }
      lowNext[r] = range.lowNext == null ? null : new Chunks(range.lowNext).align(driver.keys);
      highBin[r] = range.highBin == null ? null : new Chunks(range.highBin).align(driver.keys);
    }
    return new Plan(driver.keys, pos, neg, slices, lowNext, highBin, ranges.toArray(Range[]::new));
  }

  private record Plan(char[] keys, Container[][] positives, Container[][] negatives, Container[][][] slices,
                      Container[][] lowNext, Container[][] highBin, Range[] ranges) {

    long count(int from, int to, Scratch s) {
      long count = 0;
      for (int i = from; i < to; i++) {
        if (found(i, s)) {
          for (long w : s.found) {
            count += Long.bitCount(w);
          }
        }
      }
      return count;
    }

    void containers(int from, int to, Scratch s, Container[] out) {
      for (int i = from; i < to; i++) {
        if (found(i, s)) {
          int cardinality = 0;
          for (long w : s.found) {
            cardinality += Long.bitCount(w);
          }
          if (cardinality == 0) {
            continue;
          }
          // a cardinality of -1 makes the container count itself and take its canonical form (an array
          // container for at most 4,096 persons)
          out[i] = new BitmapContainer(s.found.clone(), -1).repairAfterLazy();
        }
      }
    }

    /** Leaves chunk {@code i}'s matches in {@code s.found}; false when there are none. */
    private boolean found(int i, Scratch s) {
      long[] f = s.found;
      Container first = positives[0][i];
      if (first instanceof BitmapContainer) {
        first.copyBitmapTo(f, 0);
      } else {
        Arrays.fill(f, 0);
        first.copyBitmapTo(f, 0);
      }
      for (int p = 1; p < positives.length; p++) {
        Container c = positives[p][i];
        if (c == null) {
          return false;
        }
        if (c.isFull()) {
          continue; // e.g. the existence bitmap of a metric everyone has
        }
        long[] w = words(c, s.other);
        for (int k = 0; k < 1024; k++) {
          f[k] &= w[k];
        }
      }
      for (Container[] negative : negatives) {
        Container c = negative[i];
        if (c != null) {
          long[] w = words(c, s.other);
          for (int k = 0; k < 1024; k++) {
            f[k] &= ~w[k];
          }
        }
      }
      for (int r = 0; r < ranges.length; r++) {
        Container[][] sl = slices[r];
        long[][] sw = s.slices;
        for (int b = 0; b < sl.length; b++) {
          Container c = sl[b][i];
          sw[b] = c == null ? ZEROS : c instanceof BitmapContainer && BITMAP_WORDS != null ? words(c, null) : words(c, s.slice(b));
        }
        Range range = ranges[r];
        long[] low = null;
        if (lowNext[r] != null) {
          Container c = lowNext[r][i];
          low = c == null ? ZEROS : words(c, s.other);
        }
        long[] high = null;
        if (highBin[r] != null) {
          Container c = highBin[r][i];
          high = c == null ? ZEROS : words(c, s.high);
        }
        restrict(f, sw, range.top, range.min, range.checkMin, low, range.max, range.checkMax, high, s.gathered);
      }
      return true;
    }
  }

  /**
   * Persons in at least {@code times} of {@code units} (a threshold over, e.g., the levels of the days
   * of a window): per container, counters kept as bit planes ({@code reached[k]}: in at least k+1 units
   * so far), every unit adding one to its members with word ANDs and ORs; no intermediate bitmap.
   */
  public static RoaringBitmap atLeast(List<RoaringBitmap> units, int times) {
    RoaringBitmap out = new RoaringBitmap();
    if (times < 1 || units.size() < times) {
      return out;
    }
    java.util.TreeSet<Character> all = new java.util.TreeSet<>();
    List<Chunks> chunks = new ArrayList<>(units.size());
    for (RoaringBitmap u : units) {
      Chunks c = new Chunks(u);
      chunks.add(c);
      for (char k : c.keys) {
        all.add(k);
      }
    }
    char[] keys = new char[all.size()];
    int n = 0;
    for (char k : all) {
      keys[n++] = k;
    }
    Container[][] aligned = new Container[chunks.size()][];
    for (int u = 0; u < chunks.size(); u++) {
      aligned[u] = chunks.get(u).align(keys);
    }
    Container[] found = new Container[keys.length];
    java.util.function.IntBinaryOperator run = (from, to) -> {
      long[][] reached = new long[times][1024];
      long[] scratch = new long[1024];
      for (int i = from; i < to; i++) {
        for (long[] r : reached) {
          Arrays.fill(r, 0);
        }
        int seen = 0;
        for (Container[] unit : aligned) {
          Container c = unit[i];
          if (c == null) {
            continue;
          }
          long[] w = words(c, scratch);
          seen++;
          for (int k = Math.min(times, seen) - 1; k >= 1; k--) {
            long[] below = reached[k - 1];
            long[] at = reached[k];
            for (int j = 0; j < 1024; j++) {
              at[j] |= below[j] & w[j];
            }
          }
          long[] first = reached[0];
          for (int j = 0; j < 1024; j++) {
            first[j] |= w[j];
          }
        }
        if (seen >= times) {
          Container c = new BitmapContainer(reached[times - 1].clone(), -1).repairAfterLazy();
          if (!c.isEmpty()) {
            found[i] = c;
          }
        }
      }
      return 0;
    };
    if (keys.length < 2 * SPLIT || Runtime.getRuntime().availableProcessors() < 2) {
      run.applyAsInt(0, keys.length);
    } else {
      IntStream.range(0, (keys.length + SPLIT - 1) / SPLIT).parallel()
          .forEach(s -> run.applyAsInt(s * SPLIT, Math.min(keys.length, (s + 1) * SPLIT)));
    }
    for (int i = 0; i < keys.length; i++) {
      if (found[i] != null) {
        out.append(keys[i], found[i]);
      }
    }
    return out;
  }

  /**
   * Keeps in {@code f} the persons whose value lies within the bounds. Compared with {@code min}
   * ({@code checkMin}) are the persons not in {@code lowNext} (null: all of them), with {@code max} those
   * in {@code highBin} (null: all); their values agree with the bound above slice {@code top}, and every
   * other person of {@code f} is already known to be within.
   *
   * <p>Branch-free, in two steps: the words with a person to compare are gathered (index and the
   * persons still equal to each bound's prefix); then O'Neil's comparison runs slice by slice from
   * {@code top} down over the gathered words only, dropping a person as soon as it falls below {@code
   * min} or above {@code max}, and a word as soon as none of its persons still equals a bound's prefix.
   * A slice is read only at the words still gathered, usually a few.
   */
  static void restrict(long[] f, long[][] slices, int top, long min, boolean checkMin, long[] lowNext, long max,
                       boolean checkMax, long[] highBin, Gathered g) {
    long lowMask = checkMin ? -1L : 0;
    long highMask = checkMax ? -1L : 0;
    long[] low = lowNext == null ? ZEROS : lowNext;
    long[] high = highBin == null ? ONES : highBin;
    int[] at = g.at;
    long[] eqA = g.eqA;
    long[] eqB = g.eqB;
    int n = 0;
    for (int k = 0; k < 1024; k++) {
      long cand = f[k];
      long a = cand & ~low[k] & lowMask;
      long b = cand & high[k] & highMask;
      at[n] = k;
      eqA[n] = a;
      eqB[n] = b;
      n += (int) (((a | b) | -(a | b)) >>> 63); // kept when a person is left to compare
    }
    for (int bit = top; bit >= 0 && n > 0; bit--) {
      long[] slice = slices[bit];
      long ma = -(min >>> bit & 1); // all ones where the bound has the bit
      long mb = -(max >>> bit & 1);
      int m = 0;
      for (int j = 0; j < n; j++) {
        int k = at[j];
        long w = slice[k];
        long a = eqA[j];
        long b = eqB[j];
        f[k] &= ~((a & ~w & ma) | (b & w & ~mb)); // below min, above max
        a &= ~(w ^ ma);
        b &= ~(w ^ mb);
        at[m] = k;
        eqA[m] = a;
        eqB[m] = b;
        m += (int) (((a | b) | -(a | b)) >>> 63);
      }
      n = m;
    }
  }

  /** Scratch for {@link #restrict}: the gathered words. */
  static final class Gathered {
    final int[] at = new int[1024];
    final long[] eqA = new long[1024];
    final long[] eqB = new long[1024];
  }

  /**
   * Per thread, kept between evaluations (about 50 KB; allocating it per split cost a sixth of a
   * count): the found words and copies of containers that are not bitmaps.
   */
  private static final class Scratch {
    private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

    final long[] found = new long[1024];
    final long[] other = new long[1024];
    final long[] high = new long[1024];
    final Gathered gathered = new Gathered();
    long[][] slices = new long[0][];
    private long[][] copies = new long[0][];

    /** This thread's scratch, with room for the plan's slices. */
    static Scratch of(Plan plan) {
      Scratch s = OF_THREAD.get();
      int most = 0;
      for (Container[][] sl : plan.slices) {
        most = Math.max(most, sl.length);
      }
      if (s.slices.length < most) {
        s.slices = new long[most][];
        s.copies = Arrays.copyOf(s.copies, most);
      }
      return s;
    }

    long[] slice(int b) {
      if (copies[b] == null) {
        copies[b] = new long[1024];
      }
      return copies[b];
    }
  }

  /** A bitmap's containers in key order. */
  private static final class Chunks {
    final char[] keys;
    final Container[] containers;

    Chunks(RoaringBitmap bitmap) {
      int n = bitmap.getContainerCount();
      keys = new char[n];
      containers = new Container[n];
      ContainerPointer p = bitmap.getContainerPointer();
      for (int i = 0; i < n && p.getContainer() != null; i++, p.advance()) {
        keys[i] = p.key();
        containers[i] = p.getContainer();
      }
    }

    /** This bitmap's container for each of {@code wanted} (sorted keys), null where it has none. */
    Container[] align(char[] wanted) {
      Container[] out = new Container[wanted.length];
      int j = 0;
      for (int i = 0; i < wanted.length && j < keys.length; i++) {
        while (j < keys.length && keys[j] < wanted[i]) {
          j++;
        }
        if (j < keys.length && keys[j] == wanted[i]) {
          out[i] = containers[j];
        }
      }
      return out;
    }
  }

  /**
   * The words of a container: a bitmap container's own array (read only, not copied) where the
   * runtime allows reading it, else a copy in {@code scratch}.
   */
  static long[] words(Container c, long[] scratch) {
    if (BITMAP_WORDS != null && c instanceof BitmapContainer b) {
      try {
        return (long[]) BITMAP_WORDS.invokeExact(b);
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    }
    if (!(c instanceof BitmapContainer)) {
      Arrays.fill(scratch, 0);
    }
    c.copyBitmapTo(scratch, 0);
    return scratch;
  }

  private static MethodHandle bitmapWords() {
    try {
      return MethodHandles.privateLookupIn(BitmapContainer.class, MethodHandles.lookup())
          .findGetter(BitmapContainer.class, "bitmap", long[].class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // e.g. on a module path that does not open the package: containers are copied
    }
  }
}
