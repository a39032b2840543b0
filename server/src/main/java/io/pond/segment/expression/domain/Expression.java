package io.pond.segment.expression.domain;

import java.util.List;

/**
 * A segment expression: a tree of AND / OR / NOT over predicates on what the index knows of persons.
 * Its JSON form is documented in docs/segments.md and parsed by {@code ExpressionJson}.
 */
public sealed interface Expression {

  record And(List<Expression> all) implements Expression {
    public And {
      all = List.copyOf(all);
    }
  }

  record Or(List<Expression> any) implements Expression {
    public Or {
      any = List.copyOf(any);
    }
  }

  record Not(Expression expression) implements Expression {}

  /** The person has the tag (manual, rule or model). */
  record HasTag(String tag) implements Expression {}

  /** The trait's value is one of {@code values}; an empty list means "the trait has any value". */
  record Trait(String name, List<String> values) implements Expression {
    public Trait {
      values = List.copyOf(values);
    }
  }

  /** The computed metric lies within {@code [min, max]} (null bounds are open), in its fixed unit. */
  record Metric(String name, Long min, Long max) implements Expression {}

  /** The person's tier is one of {@code tiers}, in {@code program} or (null) in any program. */
  record Tier(String program, List<String> tiers) implements Expression {
    public Tier {
      tiers = List.copyOf(tiers);
    }
  }

  /** The person holds an identifier of one of {@code identifierTypes} (the channel's types). */
  record Channel(String channel, List<String> identifierTypes) implements Expression {
    public Channel {
      identifierTypes = List.copyOf(identifierTypes);
    }
  }

  /** The person granted consent for the purpose. */
  record Consent(String purpose) implements Expression {}

  /**
   * The person did {@code event} at least {@code times} times in the last {@code days} days (today
   * included); with a {@code property}, only events whose property is one of {@code values} count.
   */
  record Did(String event, String property, List<String> values, int times, int days) implements Expression {
    public Did {
      values = values == null ? List.of() : List.copyOf(values);
    }
  }

  /** The person paid at least {@code orders} orders with a line in {@code category} ({@code *}: any) in the last {@code days} days. */
  record Bought(String category, int orders, int days) implements Expression {}

  /** The person is a member of another saved segment. */
  record InSegment(String segment) implements Expression {}
}
