package io.pond.loyalty.ledger;

import io.pond.loyalty.LoyaltyJobs;
import io.pond.loyalty.OrderPoints;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.program.domain.TierPolicy;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/loyalty")
@Tag(name = "Loyalty members", description = "Balances, explained entries, tier progress, order facts, event points, adjustments")
class MemberController {

  private final PointsLedger ledger;
  private final LedgerQueries queries;
  private final OrderPoints orders;
  private final AuditLog audit;
  private final LoyaltyJobs jobs;
  private final TransactionTemplate tx;
  private final java.time.Clock clock;

  MemberController(
      PointsLedger ledger, LedgerQueries queries, OrderPoints orders, AuditLog audit, LoyaltyJobs jobs, PlatformTransactionManager transactions,
      java.time.Clock clock) {
    this.clock = clock;
    this.ledger = ledger;
    this.queries = queries;
    this.orders = orders;
    this.audit = audit;
    this.jobs = jobs;
    this.tx = new TransactionTemplate(transactions);
  }

  private static PersonRef person(int personId) {
    if (personId < 0) {
      throw PondException.invalid("personId", "must not be negative");
    }
    return new PersonRef(personId);
  }

  @GetMapping("/programs/{program}/members/{personId}")
  @Operation(summary = "Balance: available, pending, expiring soon (by date), tier and progress")
  LedgerQueries.Balance balance(@PathVariable String program, @PathVariable int personId) {
    return queries.balance(program, person(personId));
  }

  @GetMapping("/programs/{program}/members/{personId}/tier")
  @Operation(summary = "Tier progress: what the window counts, what is needed to keep the tier and to reach the next")
  TierPolicy.Projection tier(@PathVariable String program, @PathVariable int personId) {
    return queries.progress(program, person(personId));
  }

  @GetMapping("/programs/{program}/members/{personId}/entries")
  @Operation(summary = "Entries newest first, each explained: business id, order, rule, multiplier, lots touched")
  List<LedgerQueries.Entry> entries(
      @PathVariable String program,
      @PathVariable int personId,
      @RequestParam(required = false) Long before,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
    return queries.entries(program, person(personId), before, limit);
  }

  record LineRequest(@Size(max = 64) String category, @NotNull @Min(0) Long paidFen) {}

  record PaidRequest(
      @NotNull @Min(0) Integer personId,
      @NotBlank String channel,
      @NotBlank String shop,
      @NotBlank String orderId,
      @NotEmpty List<@Valid LineRequest> lines,
      @NotNull Instant paidAt) {}

  record CompletedRequest(@NotNull @Min(0) Integer personId, @NotBlank String channel, @NotBlank String shop, @NotBlank String orderId, @NotNull Instant completedAt) {}

  record RefundedRequest(
      @NotNull @Min(0) Integer personId,
      @NotBlank String channel,
      @NotBlank String shop,
      @NotBlank String orderId,
      @NotBlank String refundId,
      @NotNull @Min(1) Long refundedFen,
      @NotNull Instant refundedAt) {}

  @PostMapping("/programs/{program}/orders/paid")
  @Operation(summary = "An order was paid: earn pending points (idempotent on channel, shop, order id)")
  OrderPoints.Result paid(@PathVariable String program, @Valid @RequestBody PaidRequest r) {
    return orders.paid(
        new OrderPoints.PaidOrder(
            program, person(r.personId()), r.channel(), r.shop(), r.orderId(),
            r.lines().stream().map(l -> new OrderPoints.Line(l.category(), l.paidFen())).toList(), r.paidAt()));
  }

  @PostMapping("/programs/{program}/orders/completed")
  @Operation(summary = "An order completed: its points become available after the return window")
  OrderPoints.Result completed(@PathVariable String program, @Valid @RequestBody CompletedRequest r) {
    return orNotFound(orders.completed(new OrderPoints.CompletedOrder(program, person(r.personId()), r.channel(), r.shop(), r.orderId(), r.completedAt())));
  }

  @PostMapping("/programs/{program}/orders/refunded")
  @Operation(summary = "An order was (partly) refunded: points and growth are taken back by the refund policy")
  OrderPoints.Result refunded(@PathVariable String program, @Valid @RequestBody RefundedRequest r) {
    return orNotFound(
        orders.refunded(
            new OrderPoints.RefundedOrder(
                program, person(r.personId()), r.channel(), r.shop(), r.orderId(), r.refundId(), r.refundedFen(), r.refundedAt())));
  }

  private static OrderPoints.Result orNotFound(OrderPoints.Result result) {
    if (!result.posted() && result.explanation() != null && result.explanation().startsWith("order_not_earned")) {
      throw new PondException(ErrorCode.NOT_FOUND, result.explanation(), "orderId");
    }
    return result;
  }

  record EventRequest(@NotBlank String type, @NotBlank @Size(max = 64) String source, @NotBlank @Size(max = 200) String businessId, Instant occurredAt) {}

  @PostMapping("/programs/{program}/members/{personId}/events")
  @Operation(summary = "Event points (sign_in, review, live_like, join_gift), idempotent on source + type + businessId")
  PointsLedger.Outcome.Posted event(@PathVariable String program, @PathVariable int personId, @Valid @RequestBody EventRequest r) {
    PointsLedger.Outcome outcome =
        ledger.earnEvent(program, person(personId), r.type(), new PointsLedger.Key(r.source(), r.type(), r.businessId()),
            r.occurredAt() == null ? clock.instant() : r.occurredAt());
    return posted(outcome, "type");
  }

  record RedeemRequest(@NotBlank @Size(max = 64) String source, @NotBlank @Size(max = 200) String businessId, @NotNull @Min(1) Long points, @Size(max = 500) String reason) {}

  @PostMapping("/programs/{program}/members/{personId}/redemptions")
  @Operation(summary = "Spend points at once (earliest-expiring first); idempotent on source + businessId")
  PointsLedger.Outcome.Posted redeem(@PathVariable String program, @PathVariable int personId, @Valid @RequestBody RedeemRequest r) {
    return posted(
        ledger.redeem(program, person(personId), new PointsLedger.Key(r.source(), "redemption", r.businessId()), r.points(),
            r.reason() == null ? "redemption" : r.reason(), Actors.current()),
        "points");
  }

  record AdjustRequest(@NotBlank @Size(max = 200) String idempotencyKey, @NotNull Long points, @NotBlank @Size(max = 500) String reason) {}

  @PostMapping("/programs/{program}/members/{personId}/adjustments")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Operator adjustment with a reason (audited); idempotent on idempotencyKey")
  PointsLedger.Outcome.Posted adjust(@PathVariable String program, @PathVariable int personId, @Valid @RequestBody AdjustRequest r) {
    String actor = Actors.current();
    return tx.execute(
        s -> {
          PointsLedger.Outcome.Posted posted =
              posted(ledger.adjust(program, person(personId), new PointsLedger.Key("operator", "adjustment", r.idempotencyKey()), r.points(), r.reason(), actor), "points");
          if (!posted.replayed()) {
            audit.record(actor, "loyalty.points.adjusted", "loyalty_account:" + program + "/" + personId,
                "entry " + posted.entryId() + ": " + r.points() + " points, reason: " + r.reason());
          }
          return posted;
        });
  }

  @PostMapping("/jobs/run")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Run the loyalty jobs now: activation, expiry, reservation timeouts, tier reviews, expiring-soon notices")
  LoyaltyJobs.Run runJobs() {
    return jobs.runAll();
  }

  static PointsLedger.Outcome.Posted posted(PointsLedger.Outcome outcome, String field) {
    if (outcome instanceof PointsLedger.Outcome.Posted p) {
      return p;
    }
    PointsLedger.Outcome.Rejected r = (PointsLedger.Outcome.Rejected) outcome;
    throw switch (r.reason()) {
      case "insufficient_points" -> new PondException(ErrorCode.INSUFFICIENT_POINTS, r.detail(), field);
      case "daily_limit" -> new PondException(ErrorCode.RATE_LIMITED, r.detail(), field);
      default -> PondException.invalid(field, r.detail());
    };
  }
}
