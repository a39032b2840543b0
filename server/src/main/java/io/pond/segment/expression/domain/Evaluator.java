package io.pond.segment.expression.domain;

import io.pond.segment.index.domain.PersonIndex;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * Evaluates an expression on the index to the bitmap of matching persons. Days count in the brand's
 * time zone: "the last 30 days" is {@code today − 29 .. today}. {@code NOT} is taken against every
 * person the index knows. The caller holds the index's read lock.
 */
public final class Evaluator {

  /** Separates an event from its property filter in a behaviour key: {@code view|category=tea}. */
  public static String behaviourKey(String event, String property, String value) {
    return property == null ? event : event + "|" + property + "=" + value;
  }

  private final PersonIndex index;
  private final int today;
  private final Function<String, Optional<Expression>> segments;
  private final Deque<String> visiting = new ArrayDeque<>();

  /**
   * @param today the epoch day of today in the brand's time zone
   * @param segments a saved segment's expression by code
   */
  public Evaluator(PersonIndex index, int today, Function<String, Optional<Expression>> segments) {
    this.index = index;
    this.today = today;
    this.segments = segments;
  }

  public RoaringBitmap evaluate(Expression expression) {
    return switch (expression) {
      case Expression.And and -> and(and.all());
      case Expression.Or or -> {
        List<RoaringBitmap> parts = or.any().stream().map(this::evaluate).toList();
        yield parts.isEmpty() ? new RoaringBitmap() : FastAggregation.or(parts.iterator());
      }
      case Expression.Not not -> RoaringBitmap.andNot(index.persons(), evaluate(not.expression()));
      case Expression.HasTag t -> index.tag(t.tag());
      case Expression.Trait t -> t.values().isEmpty() ? index.traitPresent(t.name()) : index.traitIn(t.name(), t.values());
      case Expression.Metric m -> index.metricRange(m.name(), m.min(), m.max());
      case Expression.Tier t -> index.tierIn(t.program(), t.tiers());
      case Expression.Channel c -> index.holdingAnyOf(c.identifierTypes());
      case Expression.Consent c -> index.consented(c.purpose());
      case Expression.Did d -> did(d);
      case Expression.Bought b -> index.bought(b.category(), b.orders(), today - b.days() + 1, today);
      case Expression.InSegment s -> segment(s.segment());
    };
  }

  // PERF: the smallest operand first, so every AND shrinks early; metric ranges are taken within what
  // the other operands left (each slice operation then touches only those); NOTs become AND-NOTs.
  private RoaringBitmap and(List<Expression> all) {
    List<RoaringBitmap> parts = new java.util.ArrayList<>();
    List<Expression.Metric> ranges = new java.util.ArrayList<>();
    List<Expression> negatives = new java.util.ArrayList<>();
    for (Expression e : all) {
      switch (e) {
        case Expression.Not not -> negatives.add(not.expression());
        case Expression.Metric m -> ranges.add(m);
        default -> parts.add(evaluate(e));
      }
    }
    parts.sort(java.util.Comparator.comparingLong(RoaringBitmap::getLongCardinality));
    RoaringBitmap result = null;
    for (RoaringBitmap part : parts) {
      if (result == null) {
        result = part;
      } else {
        result.and(part);
      }
      if (result.isEmpty()) {
        return result;
      }
    }
    for (Expression.Metric m : ranges) {
      result = index.metricRange(m.name(), m.min(), m.max(), result);
    }
    if (result == null) {
      result = index.persons();
    }
    for (Expression negative : negatives) {
      result.andNot(evaluate(negative));
    }
    return result;
  }

  private RoaringBitmap did(Expression.Did d) {
    int from = today - d.days() + 1;
    if (d.property() == null) {
      return index.did(d.event(), d.times(), from, today);
    }
    List<String> keys = d.values().stream().map(v -> behaviourKey(d.event(), d.property(), v)).toList();
    return index.didAny(keys, d.times(), from, today);
  }

  private RoaringBitmap segment(String code) {
    if (visiting.contains(code)) {
      throw new IllegalStateException("segment " + code + " refers to itself through " + visiting);
    }
    Expression expression = segments.apply(code).orElse(null);
    if (expression == null) {
      return new RoaringBitmap();
    }
    visiting.push(code);
    try {
      return evaluate(expression);
    } finally {
      visiting.pop();
    }
  }
}
