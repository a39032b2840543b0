package io.pond.offer.coupon.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;

/**
 * Who may claim a template's coupons (stock and per-member limits are counted elsewhere, atomically).
 * Operator grants skip the audience rules ({@code checkAudience = false}) but not the template's state.
 */
public final class ClaimPolicy {

  private ClaimPolicy() {}

  /** What offer knows of a person: membership, tiers (any program) and whether they ever ordered. */
  public record Person(boolean member, Set<String> tiers, boolean hasOrdered) {
    public static final Person UNKNOWN = new Person(false, Set.of(), false);
  }

  public static Optional<Refusal> refusal(CouponTemplate t, Person p, Instant at, boolean checkAudience) {
    if (!t.active()) {
      return Optional.of(new Refusal("paused", "template " + t.code() + " is paused"));
    }
    if (!t.validity().issuableAt(at)) {
      return Optional.of(new Refusal("ended", "template " + t.code() + " has ended"));
    }
    if (!checkAudience) {
      return Optional.empty();
    }
    if ((t.memberOnly() || !t.tiers().isEmpty()) && !p.member()) {
      return Optional.of(new Refusal("not_member", "only members may claim " + t.code()));
    }
    if (!t.tiers().isEmpty() && Collections.disjoint(t.tiers(), p.tiers())) {
      return Optional.of(new Refusal("tier", "only members of tiers " + String.join(", ", t.tiers().stream().sorted().toList()) + " may claim " + t.code()));
    }
    if (t.newCustomerOnly() && p.hasOrdered()) {
      return Optional.of(new Refusal("not_new_customer", "only new customers (no order yet) may claim " + t.code()));
    }
    return Optional.empty();
  }
}
