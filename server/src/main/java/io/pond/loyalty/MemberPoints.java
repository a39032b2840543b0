package io.pond.loyalty;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What a member may see and do with their own points, for the member center: programs, balance and
 * tier progress, the explained history, and points-mall redemptions. Operators use the loyalty API.
 */
public interface MemberPoints {

  record Program(String code, String name) {}

  record Balance(
      String program,
      long available,
      long pending,
      long growth,
      String tier,
      String tierName,
      List<Expiring> expiringSoon,
      String nextTier,
      long toNextTier,
      String progress) {}

  record Expiring(LocalDate expiresOn, long points) {}

  /** One ledger entry, with what explains it (the order, the rule, the reason). */
  record Entry(long id, String type, long points, String explanation, String orderKey, Instant occurredAt) {}

  record MallItem(String code, String name, long points, long cashFen, int stock) {}

  record Redeemed(String itemCode, long points, String status, boolean replayed) {}

  List<Program> programs();

  /** Empty when the person has no account in the program. */
  Optional<Balance> balance(String program, PersonRef person);

  List<Entry> entries(String program, PersonRef person, Long beforeId, int limit);

  List<MallItem> mallItems(String program);

  /**
   * Redeems one points-only mall item at once (reserve and confirm); idempotent on {@code requestId}.
   * Items with a cash part go through a checkout instead and are refused here.
   */
  Redeemed redeemItem(String program, PersonRef person, String itemCode, String requestId);
}
