package io.pond.commerce.order.domain;

import java.util.List;

/** What folding one message into an order did, with the reasons for whatever it ignored. */
public sealed interface MergeOutcome {

  CanonicalOrder order();

  /** Parts of the message that did not change the order, and why (stale, backwards, duplicate). */
  List<String> ignored();

  /** The order did not exist; the message created it. */
  record Created(CanonicalOrder order, List<OrderTransition> transitions, List<String> ignored) implements MergeOutcome {}

  /** The message changed the order. */
  record Changed(CanonicalOrder before, CanonicalOrder order, List<OrderTransition> transitions, List<String> ignored)
      implements MergeOutcome {}

  /** The message changed nothing (a duplicate, or older than what is known). */
  record Unchanged(CanonicalOrder order, List<String> ignored) implements MergeOutcome {}

  default List<OrderTransition> transitions() {
    return switch (this) {
      case Created c -> c.transitions();
      case Changed c -> c.transitions();
      case Unchanged u -> List.of();
    };
  }
}
