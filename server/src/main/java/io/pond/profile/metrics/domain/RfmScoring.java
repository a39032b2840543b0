package io.pond.profile.metrics.domain;

import java.util.Arrays;

/**
 * RFM scores 1–5 from cut points (the named policy of RFM).
 *
 * <ul>
 *   <li><b>R</b>ecency: days since the last order (brand time zone). {@code recencyDays} are upper
 *       bounds for 5, 4, 3, 2: at most {@code r[0]} days scores 5, at most {@code r[3]} scores 2, older 1.
 *   <li><b>F</b>requency: paid orders. {@code frequency} are lower bounds for 2, 3, 4, 5.
 *   <li><b>M</b>onetary: net spend in fen (paid minus refunded). {@code monetaryFen} are lower bounds for 2–5.
 * </ul>
 *
 * Cut points are either fixed thresholds from configuration or the population's quintiles
 * ({@link #quintiles}), recomputed periodically.
 */
public record RfmScoring(long[] recencyDays, long[] frequency, long[] monetaryFen) {

  public RfmScoring {
    recencyDays = check("recency-days", recencyDays);
    frequency = check("frequency", frequency);
    monetaryFen = check("monetary-fen", monetaryFen);
  }

  private static long[] check(String name, long[] cuts) {
    if (cuts == null || cuts.length != 4) {
      throw new IllegalArgumentException("RFM " + name + " needs 4 cut points");
    }
    for (int i = 1; i < 4; i++) {
      if (cuts[i] < cuts[i - 1]) {
        throw new IllegalArgumentException("RFM " + name + " cut points must not decrease: " + Arrays.toString(cuts));
      }
    }
    return cuts.clone();
  }

  public int r(long days) {
    for (int i = 0; i < 4; i++) {
      if (days <= recencyDays[i]) {
        return 5 - i;
      }
    }
    return 1;
  }

  public int f(long orders) {
    return above(orders, frequency);
  }

  public int m(long netSpendFen) {
    return above(netSpendFen, monetaryFen);
  }

  private static int above(long value, long[] cuts) {
    int score = 1;
    for (long cut : cuts) {
      if (value >= cut) {
        score++;
      }
    }
    return score;
  }

  /**
   * Quintile cut points of a population: for recency, the 20th…80th percentiles (the most recent
   * fifth scores 5); for frequency and monetary, the values at the 20th…80th percentiles (the top
   * fifth scores 5). Ties keep equal values together, so buckets can be uneven.
   */
  public static long[] lowIsBest(long[] sorted) {
    long[] cuts = new long[4];
    for (int k = 1; k <= 4; k++) {
      int index = (int) Math.ceil(k * sorted.length / 5.0) - 1;
      cuts[k - 1] = sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
    return cuts;
  }

  /** See {@link #lowIsBest}; here the cut is the first value of each upper fifth. */
  public static long[] highIsBest(long[] sorted) {
    long[] cuts = new long[4];
    for (int k = 1; k <= 4; k++) {
      int index = (int) Math.floor(k * sorted.length / 5.0);
      cuts[k - 1] = sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
    return cuts;
  }

  /** Scoring by the quintiles of these (unsorted) populations; null when there is nobody to rank. */
  public static RfmScoring quintiles(long[] recencyDays, long[] frequency, long[] monetaryFen) {
    if (recencyDays.length == 0) {
      return null;
    }
    long[] r = recencyDays.clone();
    long[] f = frequency.clone();
    long[] m = monetaryFen.clone();
    Arrays.sort(r);
    Arrays.sort(f);
    Arrays.sort(m);
    return new RfmScoring(lowIsBest(r), highIsBest(f), highIsBest(m));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RfmScoring s && Arrays.equals(recencyDays, s.recencyDays) && Arrays.equals(frequency, s.frequency)
        && Arrays.equals(monetaryFen, s.monetaryFen);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(recencyDays) * 31 * 31 + Arrays.hashCode(frequency) * 31 + Arrays.hashCode(monetaryFen);
  }

  @Override
  public String toString() {
    return "R" + Arrays.toString(recencyDays) + " F" + Arrays.toString(frequency) + " M" + Arrays.toString(monetaryFen);
  }
}
