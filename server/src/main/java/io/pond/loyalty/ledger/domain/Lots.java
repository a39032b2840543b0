package io.pond.loyalty.ledger.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Taking points out of lots: earliest expiry first (lots that never expire last), then oldest first. */
public final class Lots {

  private Lots() {}

  /** What a lot holds now. */
  public record Balance(long lotId, long remaining, Instant expiresAt) {}

  /** Points an entry takes from a lot (negative: gives back). */
  public record Allocation(long lotId, long points) {}

  public static final Comparator<Balance> EARLIEST_EXPIRY_FIRST =
      Comparator.comparing(Balance::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparingLong(Balance::lotId);

  /**
   * Allocations of up to {@code points} from {@code lots}, earliest expiry first; they sum to
   * {@code min(points, Σ remaining)} and never take more from a lot than it holds.
   */
  public static List<Allocation> take(List<Balance> lots, long points) {
    if (points < 0) {
      throw new IllegalArgumentException("points must not be negative: " + points);
    }
    List<Balance> ordered = new ArrayList<>(lots);
    ordered.sort(EARLIEST_EXPIRY_FIRST);
    return takeOrdered(ordered, points);
  }

  /**
   * {@link #take} from lots already in {@link #EARLIEST_EXPIRY_FIRST} order: no copy, no sort, and it
   * stops at the last lot it needs (a member with many lots pays for the few it takes from).
   */
  public static List<Allocation> takeOrdered(List<Balance> ordered, long points) {
    if (points < 0) {
      throw new IllegalArgumentException("points must not be negative: " + points);
    }
    List<Allocation> allocations = new ArrayList<>();
    long left = points;
    for (Balance lot : ordered) {
      if (left == 0) {
        break;
      }
      long take = Math.min(left, lot.remaining());
      if (take > 0) {
        allocations.add(new Allocation(lot.lotId(), take));
        left -= take;
      }
    }
    return allocations;
  }

  /** Inserts {@code lot} into lots kept in {@link #EARLIEST_EXPIRY_FIRST} order, keeping the order. */
  public static void insertOrdered(List<Balance> ordered, Balance lot) {
    int at = java.util.Collections.binarySearch(ordered, lot, EARLIEST_EXPIRY_FIRST);
    ordered.add(at < 0 ? -at - 1 : at, lot);
  }

  public static long sum(List<Allocation> allocations) {
    return allocations.stream().mapToLong(Allocation::points).sum();
  }
}
