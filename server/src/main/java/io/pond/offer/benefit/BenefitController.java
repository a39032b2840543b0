package io.pond.offer.benefit;

import io.pond.offer.member.Members;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/offers")
@Tag(name = "Benefits", description = "Tier and paid-membership benefits, and what a member is entitled to")
class BenefitController {

  private final Benefits benefits;
  private final Members members;

  BenefitController(Benefits benefits, Members members) {
    this.benefits = benefits;
    this.members = members;
  }

  record TiersRequest(@NotNull List<Benefits.TierPackage> tiers) {}

  @PutMapping("/benefits/tiers/{program}")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Set the benefits of a loyalty program's tiers, lowest tier first")
  List<Benefits.TierPackage> setTiers(@PathVariable String program, @Valid @RequestBody TiersRequest r) {
    return benefits.setTiers(program, r.tiers(), Actors.current());
  }

  @GetMapping("/benefits/tiers/{program}")
  @Operation(summary = "The benefits of a program's tiers, lowest first")
  List<Benefits.TierPackage> tiers(@PathVariable String program) {
    return benefits.tiers(program);
  }

  @PutMapping("/benefits/plans/{plan}")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Set the benefits of a paid-membership plan")
  Benefits.Package setPlan(@PathVariable String plan, @RequestBody Benefits.Package r) {
    return benefits.setPlan(plan, r, Actors.current());
  }

  @GetMapping("/benefits/plans/{plan}")
  @Operation(summary = "The benefits of a paid-membership plan")
  Benefits.Package plan(@PathVariable String plan) {
    return benefits.plan(plan).orElseThrow(() -> PondException.notFound("plan", plan));
  }

  @GetMapping("/members/{personId}/benefits")
  @Operation(summary = "What a member is entitled to now, from their tiers and paid plans")
  Benefits.MemberBenefits of(@PathVariable int personId) {
    return benefits.of(personId);
  }

  record BirthdayRequest(@Size(max = 10) String birthday) {}

  @PutMapping("/members/{personId}/birthday")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Set a member's birthday (MM-dd or yyyy-MM-dd; blank removes it) for birthday gifts")
  void birthday(@PathVariable int personId, @RequestBody BirthdayRequest r) {
    members.birthday(personId, r.birthday());
  }

  record PlanRequest(@NotBlank @Size(max = 64) String plan, @NotNull Instant startsAt, @NotNull Instant endsAt) {}

  @PostMapping("/members/{personId}/plans")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Record a paid-membership plan a member holds (until the loyalty module publishes paid memberships)")
  Benefits.MemberBenefits plan(@PathVariable int personId, @Valid @RequestBody PlanRequest r) {
    if (!r.endsAt().isAfter(r.startsAt())) {
      throw PondException.invalid("endsAt", "must be after startsAt");
    }
    members.plan(personId, r.plan(), r.startsAt(), r.endsAt());
    return benefits.of(personId);
  }
}
