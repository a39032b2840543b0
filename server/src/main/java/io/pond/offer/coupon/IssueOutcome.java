package io.pond.offer.coupon;

import java.time.Instant;

/** What an issue (claim, grant, bulk, event) did: a coupon, or a refusal with a stable reason. */
public sealed interface IssueOutcome {

  /** The coupon; {@code replayed} when the issue key had already issued it. */
  record Issued(Coupon coupon, boolean replayed) implements IssueOutcome {}

  /**
   * Not issued. Reasons: {@code out_of_stock}, {@code limit_reached}, {@code not_member}, {@code tier},
   * {@code not_new_customer}, {@code paused}, {@code ended}.
   */
  record Refused(String reason, String message) implements IssueOutcome {}

  /** An issued coupon as its holder sees it. */
  record Coupon(String code, String template, int personId, long serial, String source, Instant validFrom, Instant validUntil, Instant issuedAt) {}
}
