package io.pond.segment.expression.domain;

import io.pond.segment.index.domain.Conjunction;
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

  /** The persons matching the expression, as a new bitmap the caller may change. */
  public RoaringBitmap evaluate(Expression expression) {
    return switch (expression) {
      case Expression.And and -> conjunction(and.all()).bitmap();
      case Expression.Or or -> {
        List<RoaringBitmap> parts = or.any().stream().map(this::operand).toList();
        yield parts.isEmpty() ? new RoaringBitmap() : FastAggregation.or(parts.iterator());
      }
      case Expression.Not not -> new Conjunction().and(index.personsView()).andNot(operand(not.expression())).bitmap();
      case Expression.HasTag t -> index.tagView(t.tag()).clone();
      case Expression.Trait t -> t.values().isEmpty() ? index.traitPresent(t.name()) : index.traitIn(t.name(), t.values());
      case Expression.Metric m -> conjunction(List.of(m)).bitmap();
      case Expression.Tier t -> index.tierIn(t.program(), t.tiers());
      case Expression.Channel c -> index.holdingAnyOf(c.identifierTypes());
      case Expression.Consent c -> index.consentView(c.purpose()).clone();
      case Expression.Did d -> did(d);
      case Expression.Bought b -> index.bought(b.category(), b.orders(), today - b.days() + 1, today);
      case Expression.InSegment s -> segment(s.segment());
    };
  }

  /**
   * How many persons match: the same evaluation as {@link #evaluate}, but an AND (the usual shape of
   * a segment) or a NOT is counted in one pass without building its result.
   */
  public long count(Expression expression) {
    return switch (expression) {
      case Expression.And and -> conjunction(and.all()).count();
      case Expression.Metric m -> conjunction(List.of(m)).count();
      case Expression.Not not -> new Conjunction().and(index.personsView()).andNot(operand(not.expression())).count();
      case Expression.HasTag t -> index.tagView(t.tag()).getLongCardinality();
      case Expression.Consent c -> index.consentView(c.purpose()).getLongCardinality();
      default -> evaluate(expression).getLongCardinality();
    };
  }

  /**
   * The persons matching an operand, read only: the index's own bitmap where there is one (no copy),
   * else a new one.
   */
  private RoaringBitmap operand(Expression expression) {
    return switch (expression) {
      case Expression.HasTag t -> index.tagView(t.tag());
      case Expression.Consent c -> index.consentView(c.purpose());
      case Expression.Trait t when t.values().size() == 1 -> index.traitView(t.name(), t.values().get(0));
      default -> evaluate(expression);
    };
  }

  // PERF: one pass over the operands' containers (io.pond.segment.index.domain.Conjunction): bitmaps
  // are ANDed into the found set first, NOTs removed, and metric ranges evaluated only within what is
  // left, word by word; nested ANDs are flattened into the same pass; nothing is copied.
  private Conjunction conjunction(List<Expression> all) {
    Conjunction c = new Conjunction();
    boolean positive = add(c, all);
    if (!positive) {
      c.and(index.personsView());
    }
    return c;
  }

  /** Adds the operands to {@code c}; true when one of them is positive (a bitmap or a range). */
  private boolean add(Conjunction c, List<Expression> all) {
    boolean positive = false;
    for (Expression e : all) {
      switch (e) {
        case Expression.And nested -> positive |= add(c, nested.all());
        case Expression.Not not -> c.andNot(operand(not.expression()));
        case Expression.Metric m -> {
          c.andRange(index.metricIndex(m.name()), m.min(), m.max());
          positive = true;
        }
        default -> {
          c.and(operand(e));
          positive = true;
        }
      }
    }
    return positive;
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
