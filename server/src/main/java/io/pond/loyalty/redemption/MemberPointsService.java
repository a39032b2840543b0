package io.pond.loyalty.redemption;

import io.pond.loyalty.MemberPoints;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.loyalty.program.Programs;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@link MemberPoints} over the ledger queries and the points mall. */
@Service
class MemberPointsService implements MemberPoints {

  private final Programs programs;
  private final LedgerQueries ledger;
  private final Redemptions redemptions;
  private final Clock clock;

  MemberPointsService(Programs programs, LedgerQueries ledger, Redemptions redemptions, Clock clock) {
    this.programs = programs;
    this.ledger = ledger;
    this.redemptions = redemptions;
    this.clock = clock;
  }

  @Override
  public List<Program> programs() {
    return programs.list().stream().map(p -> new Program(p.code(), p.name())).toList();
  }

  @Override
  public Optional<Balance> balance(String program, PersonRef person) {
    Programs.Program p = programs.get(program);
    if (ledger.account(p.id(), person.value()).isEmpty()) {
      return Optional.empty();
    }
    LedgerQueries.Balance b = ledger.balance(program, person);
    var progress = b.progress();
    return Optional.of(new Balance(b.program(), b.available(), b.pending(), b.growth(), b.tier(), b.tierName(),
        b.expiringSoon().stream().map(e -> new Expiring(e.expiresOn(), e.points())).toList(),
        progress == null ? null : progress.nextTier(),
        progress == null ? 0 : progress.toNext(),
        progress == null ? null : progress.summary()));
  }

  @Override
  public List<Entry> entries(String program, PersonRef person, Long beforeId, int limit) {
    Programs.Program p = programs.get(program);
    if (ledger.account(p.id(), person.value()).isEmpty()) {
      return List.of();
    }
    List<LedgerQueries.Entry> entries = ledger.entries(program, person, beforeId, limit);
    Map<Long, LedgerQueries.EntryDetail> details = ledger.details(entries.stream().map(LedgerQueries.Entry::id).toList());
    Instant now = clock.instant();
    Instant horizon = now.plus(Duration.ofDays(p.config().expiringSoonDays() == null ? 30 : p.config().expiringSoonDays()));
    return entries.stream().map(e -> entry(e, details.get(e.id()), now, horizon)).toList();
  }

  private static Entry entry(LedgerQueries.Entry e, LedgerQueries.EntryDetail d, Instant now, Instant horizon) {
    String kind = kind(e, d);
    String reference =
        switch (kind) {
          case "claim" -> d.claimChannel() + " " + d.claimOrderNumber();
          case "redemption" -> d != null && d.itemName() != null ? d.itemName() + (d.quantity() != null && d.quantity() > 1 ? " × " + d.quantity() : "") : null;
          case "event" -> e.businessType();
          default -> e.orderKey();
        };
    String state = null;
    Long remaining = null;
    Instant expiresAt = null;
    Instant pendingUntil = null;
    boolean soon = false;
    if (d != null && d.lotRemaining() != null && e.points() > 0) {
      remaining = d.lotRemaining();
      expiresAt = d.expiresAt();
      pendingUntil = d.lotPending() ? d.pendingUntil() : null;
      boolean expired = expiresAt != null && !expiresAt.isAfter(now);
      state = d.lotPending() ? "pending" : expired ? "expired" : remaining == 0 ? "used" : "available";
      soon = state.equals("available") && expiresAt != null && !expiresAt.isAfter(horizon);
    }
    return new Entry(e.id(), e.type(), e.points(), explain(e), e.orderKey(), e.occurredAt(), kind, reference, e.available(), e.pending(),
        state, pendingUntil, remaining, expiresAt, soon);
  }

  private static String kind(LedgerQueries.Entry e, LedgerQueries.EntryDetail d) {
    if (d != null && d.claimId() != null) {
      return "claim";
    }
    return switch (e.businessType()) {
      case "order_paid" -> "order";
      case "order_refund" -> "refund";
      case "activation" -> "activation";
      case "reservation", "redemption" -> "redemption";
      case "reversal" -> "reversal";
      case "expiry" -> "expiry";
      case "adjustment" -> "adjustment";
      case "merge_debt" -> "merge";
      case "point_change" -> "channel";
      default -> e.type().equals("CLAWBACK") ? "refund" : "event";
    };
  }

  private static String explain(LedgerQueries.Entry e) {
    List<String> parts = new ArrayList<>();
    if (e.rule() != null) {
      parts.add(e.rule());
    }
    if (e.multiplier() != null) {
      parts.add("×" + e.multiplier());
    }
    if (e.reason() != null) {
      parts.add(e.reason());
    }
    return parts.isEmpty() ? e.businessType() : String.join(" · ", parts);
  }

  @Override
  public List<MallItem> mallItems(String program) {
    return redemptions.items(program).stream()
        .map(i -> new MallItem(i.code(), i.name(), i.points(), i.cashFen(), i.stock()))
        .toList();
  }

  @Override
  @Transactional
  public Redeemed redeemItem(String program, PersonRef person, String itemCode, String requestId) {
    Redemptions.Item item = redemptions.items(program).stream()
        .filter(i -> i.code().equals(itemCode))
        .findFirst()
        .orElseThrow(() -> PondException.notFound("mall item", itemCode));
    if (item.cashFen() > 0) {
      throw new PondException(ErrorCode.CONFLICT,
          "This item also costs ¥" + item.cashFen() / 100.0 + " in cash: buy it through a checkout.", "itemCode");
    }
    String businessId = "member-center:" + requestId;
    Redemptions.Reservation reserved =
        redemptions.reserve(program, person, businessId, 0, 0, itemCode, 1, "member:" + person.value());
    Redemptions.Reservation confirmed =
        "CONFIRMED".equalsIgnoreCase(reserved.status()) ? reserved : redemptions.confirm(program, businessId);
    return new Redeemed(itemCode, confirmed.points(), confirmed.status(), reserved.replayed());
  }
}
