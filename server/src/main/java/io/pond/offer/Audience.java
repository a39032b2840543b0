package io.pond.offer;

import java.util.function.IntConsumer;

/**
 * A source of persons to issue coupons to in bulk (an uploaded list today, a segment later). Another
 * module contributes one by declaring a Spring bean; bulk issuance names it by {@link #kind()} and a
 * reference ({@code segment:vip-2026}). Listing must be repeatable: a resumed job lists again and
 * skips persons it already handled.
 */
public interface Audience {

  /** The prefix of references this source answers ({@code segment}). */
  String kind();

  /** Whether {@code reference} (without the prefix) names an audience this source knows. */
  boolean exists(String reference);

  /** Hands every person id (OneID, 31 bits) of the audience to {@code sink}, each once. */
  void persons(String reference, IntConsumer sink);
}
