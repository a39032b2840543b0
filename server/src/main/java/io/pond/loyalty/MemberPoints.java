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

  /**
   * One ledger entry, with what explains it.
   *
   * @param kind what caused it: {@code order} (an order's points; {@code claim} when the member claimed
   *     the order), {@code refund}, {@code activation} (pending points became available), {@code
   *     redemption} (points mall or checkout), {@code reversal} (a redemption given back), {@code
   *     expiry}, {@code adjustment} (by the brand), {@code event} (join gift, sign-in, …), {@code
   *     merge}, {@code channel} (a platform's member points)
   * @param reference what it is about: the order key, the mall item's name, the event, the claimed
   *     channel/order number
   * @param explanation the rule, multiplier and reason behind it
   * @param availableDelta how it changed the available points
   * @param pendingDelta how it changed the pending points (an order's points wait until it completes)
   * @param state for earnings: {@code pending} (until {@code pendingUntil}), {@code available}, {@code
   *     used} (all spent) or {@code expired}; null for other entries
   * @param remaining what is left of an earning's points
   * @param expiresAt when an earning's remaining points expire (null: never)
   * @param expiringSoon whether they expire within the program's warning horizon
   */
  record Entry(
      long id,
      String type,
      long points,
      String explanation,
      String orderKey,
      Instant occurredAt,
      String kind,
      String reference,
      long availableDelta,
      long pendingDelta,
      String state,
      Instant pendingUntil,
      Long remaining,
      Instant expiresAt,
      boolean expiringSoon) {}

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
