package io.pond.loyalty.redemption;

import io.pond.loyalty.MemberPoints;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.loyalty.program.Programs;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@link MemberPoints} over the ledger queries and the points mall. */
@Service
class MemberPointsService implements MemberPoints {

  private final Programs programs;
  private final LedgerQueries ledger;
  private final Redemptions redemptions;

  MemberPointsService(Programs programs, LedgerQueries ledger, Redemptions redemptions) {
    this.programs = programs;
    this.ledger = ledger;
    this.redemptions = redemptions;
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
    return ledger.entries(program, person, beforeId, limit).stream()
        .map(e -> new Entry(e.id(), e.type(), e.points(), explain(e), e.orderKey(), e.occurredAt()))
        .toList();
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
