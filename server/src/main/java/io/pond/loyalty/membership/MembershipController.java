package io.pond.loyalty.membership;

import io.pond.loyalty.PersonRef;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.pond.platform.security.CurrentCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/loyalty/programs/{program}")
@Tag(name = "Loyalty membership", description = "Joins (入会) on any channel, channel bindings, paid membership (付费会员)")
class MembershipController {

  private final Memberships memberships;
  private final PaidMemberships paid;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  MembershipController(Memberships memberships, PaidMemberships paid, AuditLog audit, PlatformTransactionManager transactions) {
    this.memberships = memberships;
    this.paid = paid;
    this.audit = audit;
    this.tx = new TransactionTemplate(transactions);
  }

  record JoinRequest(
      @NotBlank @Size(max = 32) String channel,
      @NotBlank @Size(max = 100) String shop,
      @NotBlank @Size(max = 200) String channelMemberId,
      @Size(max = 64) String identifierType,
      @Size(max = 32) String phone,
      @Size(max = 200) String unionid) {}

  @PostMapping("/joins")
  @Operation(summary = "Join on a channel: resolves the person through OneID, binds the channel member id, gives the join gift once")
  Memberships.Joined join(@PathVariable String program, @Valid @RequestBody JoinRequest r) {
    CurrentCaller.channels().require(r.channel());
    return memberships.join(
        new Memberships.Join(program, r.channel(), r.shop(), r.channelMemberId(), r.identifierType(), r.phone(), r.unionid()));
  }

  @GetMapping("/members/{personId}/membership")
  @Operation(summary = "The member: when and where they joined, every channel binding")
  Memberships.Member member(@PathVariable String program, @PathVariable int personId) {
    return memberships.member(program, personId).orElseThrow(() -> PondException.notFound("member", Integer.toString(personId)));
  }

  @GetMapping("/bindings")
  @Operation(summary = "The binding of a channel member id")
  Memberships.Binding binding(
      @PathVariable String program, @RequestParam String channel, @RequestParam String shop, @RequestParam String channelMemberId) {
    CurrentCaller.channels().require(channel);
    return memberships
        .binding(program, channel, shop, channelMemberId)
        .orElseThrow(() -> PondException.notFound("binding", channel + "/" + shop + "/" + channelMemberId));
  }

  record UnbindRequest(@Size(max = 500) String reason) {}

  @PostMapping("/bindings/{bindingId}/unbind")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Release a channel binding (audited); idempotent")
  Memberships.Binding unbind(@PathVariable String program, @PathVariable long bindingId, @Valid @RequestBody(required = false) UnbindRequest r) {
    String actor = Actors.current();
    String reason = r == null ? null : r.reason();
    return tx.execute(
        s -> {
          Memberships.Binding binding = memberships.unbind(program, bindingId, reason, actor);
          audit.record(actor, "loyalty.binding.unbound", "loyalty_binding:" + program + "/" + bindingId, reason == null ? "" : reason);
          return binding;
        });
  }

  record PlanRequest(@Size(max = 200) String name, @NotNull @Min(1) Integer termDays, @NotNull @Min(0) Long priceFen) {}

  @PutMapping("/paid-plans/{plan}")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Create or change a paid membership plan: term in days, price in fen (audited)")
  PaidMemberships.Plan savePlan(@PathVariable String program, @PathVariable String plan, @Valid @RequestBody PlanRequest r) {
    String actor = Actors.current();
    return tx.execute(
        s -> {
          PaidMemberships.Plan saved = paid.savePlan(program, plan, r.name(), r.termDays(), r.priceFen());
          audit.record(actor, "loyalty.paid_plan.saved", "loyalty_paid_plan:" + program + "/" + plan, r.termDays() + " days, " + r.priceFen() + " fen");
          return saved;
        });
  }

  @GetMapping("/paid-plans")
  @Operation(summary = "Paid membership plans")
  List<PaidMemberships.Plan> plans(@PathVariable String program) {
    return paid.plans(program);
  }

  record PurchaseRequest(@NotBlank @Size(max = 64) String plan, @NotBlank @Size(max = 200) String businessId, @NotNull @Min(0) Long paidFen) {}

  @PostMapping("/members/{personId}/paid-memberships")
  @Operation(summary = "Buy or renew a paid membership (a renewal while active extends from the current end); idempotent on businessId")
  PaidMemberships.Purchase purchase(@PathVariable String program, @PathVariable int personId, @Valid @RequestBody PurchaseRequest r) {
    return paid.purchase(program, person(personId), r.plan(), r.businessId(), r.paidFen(), Actors.current());
  }

  @GetMapping("/members/{personId}/paid-memberships")
  @Operation(summary = "Paid memberships of a member as of now: active or expired, end, days left")
  List<PaidMemberships.Membership> paidMemberships(@PathVariable String program, @PathVariable int personId) {
    return paid.memberships(program, person(personId));
  }

  private static PersonRef person(int personId) {
    if (personId < 0) {
      throw PondException.invalid("personId", "must not be negative");
    }
    return new PersonRef(personId);
  }
}
