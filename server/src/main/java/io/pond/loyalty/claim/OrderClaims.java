package io.pond.loyalty.claim;

import io.pond.identity.LinkingIdentifiers;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.Resolution;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.orders.OrderArrivals;
import io.pond.loyalty.orders.OrderEarnings;
import io.pond.loyalty.orders.OrderFacts;
import io.pond.loyalty.program.Programs;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * Order claims (订单换积分): a member names a channel and an order number; when loyalty knows the paid
 * order (from commerce's events) the claim is settled at once, otherwise it is HELD until the order
 * arrives or {@code pond.loyalty.claims.hold-days} pass (then EXPIRED, by the scheduled sweep).
 *
 * <p>Rules, each with a stable reason when it says no: one claim per order and program (a second
 * member's claim is a {@code conflict}; the same member's is answered with the first); the member
 * must have an account; at most {@code pond.loyalty.claims.per-member-per-hour} claims per member
 * ({@code rate_limited} with {@code Retry-After}); a claim is rejected when the order was cancelled or
 * fully refunded ({@code order_cancelled}), paid more than {@code max-order-age-days} before the claim
 * ({@code order_too_old}), already earned for someone else ({@code already_earned}), or when OneID's
 * guards refuse to link its buyer to the member ({@code buyer_not_linked}: the buyer id belongs to a
 * person with another strong identifier of the same type, is junk, or is over its per-person limit).
 * An accepted claim links the buyer ids to the member (identity evidence of kind {@code bind}, source
 * {@code loyalty:claim}) and the order earns for the member like a member's own order: pending until
 * it completes, clawed back on refunds.
 */
@Component
public class OrderClaims implements OrderArrivals {

  private final JdbcClient jdbc;
  private final Programs programs;
  private final OrderFacts facts;
  private final OrderEarnings earnings;
  private final LinkingIdentifiers linking;
  private final Persons persons;
  private final Clock clock;
  private final Duration hold;
  private final Duration maxOrderAge;
  private final int perMemberPerHour;

  OrderClaims(
      JdbcClient jdbc, Programs programs, OrderFacts facts, OrderEarnings earnings, LinkingIdentifiers linking, Persons persons, Clock clock,
      @Value("${pond.loyalty.claims.hold-days:7}") int holdDays,
      @Value("${pond.loyalty.claims.max-order-age-days:90}") int maxOrderAgeDays,
      @Value("${pond.loyalty.claims.per-member-per-hour:5}") int perMemberPerHour) {
    if (holdDays < 0 || maxOrderAgeDays < 1 || perMemberPerHour < 1) {
      throw new IllegalArgumentException(
          "pond.loyalty.claims: hold-days must be >= 0, max-order-age-days and per-member-per-hour >= 1");
    }
    this.jdbc = jdbc;
    this.programs = programs;
    this.facts = facts;
    this.earnings = earnings;
    this.linking = linking;
    this.persons = persons;
    this.clock = clock;
    this.hold = Duration.ofDays(holdDays);
    this.maxOrderAge = Duration.ofDays(maxOrderAgeDays);
    this.perMemberPerHour = perMemberPerHour;
  }

  public enum Status {
    HELD,
    ACCEPTED,
    REJECTED,
    EXPIRED
  }

  /** A claim; {@code reason} is a stable code ({@code already_earned}, …) followed by an explanation. */
  public record Claim(
      long id,
      String program,
      int personId,
      String channel,
      String orderNumber,
      String shop,
      Status status,
      String reason,
      Long entryId,
      Long points,
      Instant createdAt,
      Instant expiresAt,
      Instant settledAt) {}

  /** A member submits a claim; {@code shop} is needed only when two shops of the channel share the number. */
  public Claim submit(String programCode, PersonRef member, String channel, String orderNumber, String shop) {
    if (channel == null || !channel.matches("[a-z][a-z0-9_]{0,15}")) {
      throw PondException.invalid("channel", "must be a channel's wire name (taobao, doudian, …)");
    }
    if (orderNumber == null || orderNumber.isBlank() || orderNumber.length() > 64) {
      throw PondException.invalid("orderNumber", "must be 1-64 characters");
    }
    if (shop != null && (shop.isBlank() || shop.length() > 64)) {
      throw PondException.invalid("shop", "must be 1-64 characters");
    }
    String number = orderNumber.strip();
    Programs.Program program = programs.get(programCode);
    Optional<Claim> existing = find(program.id(), channel, number);
    if (existing.isPresent()) {
      return sameMember(existing.get(), member);
    }
    if (!earnings.isMember(program.id(), earnings.current(member.value()))) {
      throw PondException.notFound("loyalty account of person", member.value() + " in program " + programCode);
    }
    List<OrderFacts.Order> orders = ordersFor(channel, number, shop);
    if (orders.size() > 1) {
      throw PondException.invalid("shop", "several shops of " + channel + " have an order " + number + "; name the shop");
    }
    Instant now = clock.instant();
    rateLimit(program.id(), member, now);
    long id;
    try {
      GeneratedKeyHolder keys = new GeneratedKeyHolder();
      jdbc.sql(
              "INSERT INTO loyalty_claim (program_id, person_id, channel, platform_order_id, shop_id, status, created_at, expires_at)"
                  + " VALUES (?, ?, ?, ?, ?, 'HELD', ?, ?)")
          .params(program.id(), member.value(), channel, number, shop, ts(now), ts(now.plus(hold)))
          .update(keys, "id");
      id = keys.getKeyAs(Long.class);
    } catch (DuplicateKeyException concurrent) {
      return sameMember(find(program.id(), channel, number).orElseThrow(), member);
    }
    if (!orders.isEmpty()) {
      settle(id, orders.getFirst());
    }
    return get(id);
  }

  private Claim sameMember(Claim claim, PersonRef member) {
    if (claim.personId() == member.value() || earnings.current(claim.personId()).equals(earnings.current(member.value()))) {
      return claim;
    }
    throw new PondException(
        ErrorCode.CONFLICT, "order " + claim.orderNumber() + " on " + claim.channel() + " has been claimed already", "orderNumber");
  }

  private List<OrderFacts.Order> ordersFor(String channel, String number, String shop) {
    return facts.byNumber(channel, number).stream().filter(OrderFacts.Order::paid).filter(o -> shop == null || shop.equals(o.shopId())).toList();
  }

  private void rateLimit(long programId, PersonRef member, Instant now) {
    Instant windowStart = now.minus(Duration.ofHours(1));
    List<Instant> recent =
        jdbc.sql("SELECT created_at FROM loyalty_claim WHERE person_id = ? AND program_id = ? AND created_at > ? ORDER BY created_at")
            .params(member.value(), programId, ts(windowStart))
            .query((rs, n) -> rs.getTimestamp(1).toInstant())
            .list();
    if (recent.size() >= perMemberPerHour) {
      Instant freed = recent.get(recent.size() - perMemberPerHour).plus(Duration.ofHours(1));
      long seconds = Math.max(1, Duration.between(now, freed).toSeconds() + 1);
      throw new ClaimsRateLimited(perMemberPerHour, seconds);
    }
  }

  /** Held claims for an order that just became known are settled. */
  @Override
  public void arrived(OrderFacts.Order order) {
    List<Long> held =
        jdbc.sql("SELECT id FROM loyalty_claim WHERE platform_order_id = ? AND channel = ? AND status = 'HELD' AND (shop_id IS NULL OR shop_id = ?)")
            .params(order.platformOrderId(), order.channel(), order.shopId())
            .query(Long.class)
            .list();
    for (long id : held) {
      settle(id, order);
    }
  }

  /** Settles held claims whose order arrived meanwhile and expires those past their hold; returns how many changed. */
  public int sweep() {
    int changed = 0;
    List<Claim> held =
        jdbc.sql("SELECT c.*, p.code AS program_code FROM loyalty_claim c JOIN loyalty_program p ON p.id = c.program_id WHERE c.status = 'HELD' ORDER BY c.id")
            .query(OrderClaims::claim)
            .list();
    Instant now = clock.instant();
    for (Claim claim : held) {
      List<OrderFacts.Order> orders = ordersFor(claim.channel(), claim.orderNumber(), claim.shop());
      if (orders.size() == 1) {
        settle(claim.id(), orders.getFirst());
        changed++;
      } else if (!claim.expiresAt().isAfter(now)) {
        changed += finish(claim.id(), Status.EXPIRED, "expired: no paid order " + claim.orderNumber() + " arrived from " + claim.channel()
            + " before " + claim.expiresAt(), null, null, null);
      }
    }
    return changed;
  }

  /** Decides a held claim against its order (idempotent: a settled claim is left as it is). */
  void settle(long claimId, OrderFacts.Order order) {
    Claim claim = get(claimId);
    if (claim.status() != Status.HELD) {
      return;
    }
    Programs.Program program = programs.get(claim.program());
    Instant now = clock.instant();
    PersonRef member = earnings.current(claim.personId());
    long refunded = facts.refunds(order.id()).stream().mapToLong(OrderFacts.Refund::totalFen).max().orElse(0);
    if (order.cancelledAt() != null || (order.paidFen() > 0 && refunded >= order.paidFen())) {
      finish(claimId, Status.REJECTED, "order_cancelled: the order was cancelled or refunded in full", order.id(), null, null);
      return;
    }
    if (order.paidAt().isBefore(claim.createdAt().minus(maxOrderAge))) {
      finish(claimId, Status.REJECTED, "order_too_old: orders paid more than " + maxOrderAge.toDays() + " days before the claim cannot be claimed",
          order.id(), null, null);
      return;
    }
    Optional<OrderFacts.Earning> earning = facts.earning(order.id(), program.id());
    if (earning.isPresent() && !earnings.current(earning.get().personId()).equals(member)) {
      finish(claimId, Status.REJECTED, "already_earned: the order earns points for another member", order.id(), null, null);
      return;
    }
    if (earning.isEmpty()) {
      Resolution link = linking.link(PersonId.of(member.value()), order.buyers(), "loyalty:claim", now, "loyalty-claim:" + claimId);
      member = earnings.current(member.value());
      if (!linked(order.buyers(), member)) {
        finish(claimId, Status.REJECTED, "buyer_not_linked: OneID did not link the order's buyer to the member (" + explain(link) + ")",
            order.id(), null, null);
        return;
      }
      OrderFacts.Earning taken = facts.earnFor(order.id(), program.id(), member.value(), "claim");
      if (!earnings.current(taken.personId()).equals(member)) {
        finish(claimId, Status.REJECTED, "already_earned: the order earns points for another member", order.id(), null, null);
        return;
      }
    }
    earnings.post(program.code(), member, order);
    record Earned(long entryId, long points) {}
    Earned earned =
        jdbc.sql(
                "SELECT id, points FROM loyalty_entry WHERE program_id = ? AND source = ? AND business_type = 'order_paid' AND business_id = ?")
            .params(program.id(), order.channel(), order.shopId() + "/" + order.platformOrderId())
            .query((rs, n) -> new Earned(rs.getLong(1), rs.getLong(2)))
            .single();
    if (member.value() != claim.personId()) {
      // linking merged the member with the buyer: the claim is the surviving person's now
      jdbc.sql("UPDATE loyalty_claim SET person_id = ? WHERE id = ? AND status = 'HELD'").params(member.value(), claimId).update();
    }
    finish(claimId, Status.ACCEPTED, "accepted: the order's buyer is linked to the member and the order earns for them", order.id(),
        earned.entryId(), earned.points());
  }

  /** Whether one of the buyer's identifiers now belongs to the member. */
  private boolean linked(List<Identifier> buyers, PersonRef member) {
    for (Identifier buyer : buyers) {
      Optional<PersonId> person = persons.personOf(buyer);
      if (person.isPresent() && person.get().value() == member.value()) {
        return true;
      }
    }
    return false;
  }

  private static String explain(Resolution link) {
    String outcome =
        switch (link.outcome()) {
          case Resolution.Outcome.Conflict c -> "conflict: " + c.reason();
          case Resolution.Outcome.Rejected r -> "rejected: " + r.reason();
          default -> link.outcome().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        };
    List<String> refused = link.refused().stream().map(r -> r.identifier().type() + " " + r.reason()).toList();
    return refused.isEmpty() ? outcome : outcome + "; refused: " + String.join(", ", refused);
  }

  private int finish(long claimId, Status status, String reason, Long orderId, Long entryId, Long points) {
    return jdbc.sql(
            "UPDATE loyalty_claim SET status = ?, reason = ?, order_id = ?, entry_id = ?, points = ?, settled_at = ? WHERE id = ? AND status = 'HELD'")
        .params(status.name(), reason.length() > 500 ? reason.substring(0, 497) + "…" : reason, orderId, entryId, points, ts(clock.instant()), claimId)
        .update();
  }

  public Claim get(long id) {
    return jdbc.sql("SELECT c.*, p.code AS program_code FROM loyalty_claim c JOIN loyalty_program p ON p.id = c.program_id WHERE c.id = ?")
        .param(id)
        .query(OrderClaims::claim)
        .optional()
        .orElseThrow(() -> PondException.notFound("order claim", id));
  }

  private Optional<Claim> find(long programId, String channel, String number) {
    return jdbc.sql(
            "SELECT c.*, p.code AS program_code FROM loyalty_claim c JOIN loyalty_program p ON p.id = c.program_id"
                + " WHERE c.program_id = ? AND c.channel = ? AND c.platform_order_id = ?")
        .params(programId, channel, number)
        .query(OrderClaims::claim)
        .optional();
  }

  /** Claims of a program newest first, optionally of one member and/or in one status. */
  public List<Claim> list(String programCode, Integer personId, Status status, Long beforeId, int limit) {
    return list(programCode, personId, status, beforeId, limit, null);
  }

  /** The same, only of the given channels ({@code null}: every channel), for callers limited to some. */
  public List<Claim> list(String programCode, Integer personId, Status status, Long beforeId, int limit, Set<String> channels) {
    Programs.Program program = programs.get(programCode);
    StringBuilder sql = new StringBuilder(
        "SELECT c.*, p.code AS program_code FROM loyalty_claim c JOIN loyalty_program p ON p.id = c.program_id WHERE c.program_id = :program"
            + " AND c.id < :before");
    Map<String, Object> params = new HashMap<>();
    params.put("program", program.id());
    params.put("before", beforeId == null ? Long.MAX_VALUE : beforeId);
    if (personId != null) {
      sql.append(" AND c.person_id = :person");
      params.put("person", personId);
    }
    if (status != null) {
      sql.append(" AND c.status = :status");
      params.put("status", status.name());
    }
    if (channels != null) {
      sql.append(" AND c.channel IN (:channels)");
      params.put("channels", channels);
    }
    sql.append(" ORDER BY c.id DESC LIMIT :limit");
    params.put("limit", limit);
    return jdbc.sql(sql.toString()).params(params).query(OrderClaims::claim).list();
  }

  /**
   * A member's claims newest first, with those made by persons merged into the member since (OneID
   * merges; a claim itself may merge the member into the order's buyer).
   */
  public List<Claim> listForMember(String programCode, int personId, Long beforeId, int limit) {
    Programs.Program program = programs.get(programCode);
    java.util.Set<Integer> persons = new java.util.LinkedHashSet<>(List.of(personId));
    List<Integer> frontier = List.of(personId);
    for (int hops = 0; hops < 20 && !frontier.isEmpty(); hops++) {
      frontier = jdbc.sql("SELECT person_id FROM loyalty_account WHERE program_id = :program AND merged_into_person IN (:persons)")
          .param("program", program.id())
          .param("persons", frontier)
          .query(Integer.class)
          .list()
          .stream()
          .filter(persons::add)
          .toList();
    }
    return jdbc.sql(
            "SELECT c.*, p.code AS program_code FROM loyalty_claim c JOIN loyalty_program p ON p.id = c.program_id WHERE c.program_id = :program"
                + " AND c.person_id IN (:persons) AND c.id < :before ORDER BY c.id DESC LIMIT :limit")
        .param("program", program.id())
        .param("persons", List.copyOf(persons))
        .param("before", beforeId == null ? Long.MAX_VALUE : beforeId)
        .param("limit", limit)
        .query(OrderClaims::claim)
        .list();
  }

  private static Claim claim(ResultSet rs, int n) throws SQLException {
    return new Claim(
        rs.getLong("id"),
        rs.getString("program_code"),
        rs.getInt("person_id"),
        rs.getString("channel"),
        rs.getString("platform_order_id"),
        rs.getString("shop_id"),
        Status.valueOf(rs.getString("status")),
        rs.getString("reason"),
        rs.getObject("entry_id", Long.class),
        rs.getObject("points", Long.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("expires_at").toInstant(),
        rs.getTimestamp("settled_at") == null ? null : rs.getTimestamp("settled_at").toInstant());
  }

  private static Timestamp ts(Instant at) {
    return at == null ? null : Timestamp.from(at);
  }
}
