package io.pond.offer.coupon;

import io.pond.identity.PersonVisibility;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/offers")
@Tag(name = "Coupons", description = "Coupon templates, claims, grants, external code pools and a member's coupons")
class CouponController {

  private final Templates templates;
  private final Issuing issuing;
  private final CodePools pools;
  private final Wallet wallet;
  private final Clock clock;
  private final PersonVisibility visibility;

  CouponController(Templates templates, Issuing issuing, CodePools pools, Wallet wallet, Clock clock, PersonVisibility visibility) {
    this.visibility = visibility;
    this.templates = templates;
    this.issuing = issuing;
    this.pools = pools;
    this.wallet = wallet;
    this.clock = clock;
  }

  /** A template as the API shows it. */
  record TemplateView(
      String code, String name, String kind, Object rule, Object scope, Object validity, long totalStock, long issued, long remaining,
      Integer perMemberLimit, boolean memberOnly, List<String> tiers, boolean newCustomerOnly, boolean stackable, String refundPolicy,
      String codeSource, boolean active, Instant createdAt) {

    static TemplateView of(Templates.Template t) {
      var r = t.rules();
      return new TemplateView(
          r.code(), r.name(), r.kind().name(), r.rule(), r.scope(), r.validity(), r.totalStock(), t.issued(), r.totalStock() - t.issued(),
          r.perMemberLimit(), r.memberOnly(), r.tiers().stream().sorted().toList(), r.newCustomerOnly(), r.stackable(), r.refundPolicy().name(),
          t.pool() ? "pool" : "generated", r.active(), t.createdAt());
    }
  }

  @PostMapping("/templates")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Create a coupon template (fixed, threshold, percentage, special_price, free_shipping, gift)")
  TemplateView create(@RequestBody TemplateSpec spec) {
    return TemplateView.of(templates.create(spec, Actors.current()));
  }

  @GetMapping("/templates")
  @Operation(summary = "Coupon templates with their stock")
  List<TemplateView> list() {
    return templates.list().stream().map(TemplateView::of).toList();
  }

  @GetMapping("/templates/{code}")
  @Operation(summary = "One coupon template")
  TemplateView get(@PathVariable String code) {
    return TemplateView.of(templates.byCode(code));
  }

  record StockRequest(@NotNull @Min(1) Long totalStock) {}

  @PostMapping("/templates/{code}/stock")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Change a template's total stock (never below what was issued)")
  TemplateView stock(@PathVariable String code, @Valid @RequestBody StockRequest r) {
    templates.setStock(code, r.totalStock(), Actors.current());
    issuing.refresh(code);
    return TemplateView.of(templates.byCode(code));
  }

  @PostMapping("/templates/{code}/pause")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Stop issuing a template's coupons (coupons already issued stay usable)")
  TemplateView pause(@PathVariable String code) {
    return TemplateView.of(templates.setActive(code, false, Actors.current()));
  }

  @PostMapping("/templates/{code}/resume")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Issue a paused template's coupons again")
  TemplateView resume(@PathVariable String code) {
    return TemplateView.of(templates.setActive(code, true, Actors.current()));
  }

  @PostMapping(value = "/templates/{code}/codes", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Import external codes (CSV, first column) into a pool template")
  CodePools.Result importCodes(@PathVariable String code, @RequestParam("file") MultipartFile file) throws IOException {
    try (InputStream in = file.getInputStream()) {
      return pools.importCsv(code, in, Actors.current());
    }
  }

  @PostMapping(value = "/templates/{code}/codes", consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Import external codes sent as the request body (CSV, first column)")
  CodePools.Result importCodesBody(@PathVariable String code, InputStream body) {
    return pools.importCsv(code, body, Actors.current());
  }

  record IssueRequest(@NotNull @Min(1) Integer personId, @Size(max = 200) String idempotencyKey) {}

  @PostMapping("/templates/{code}/claims")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "A member claims a coupon (领券): audience rules, stock and the per-member limit apply; idempotent on idempotencyKey")
  ResponseEntity<IssueOutcome.Coupon> claim(
      @PathVariable String code, @Valid @RequestBody IssueRequest r, @RequestHeader(value = "Idempotency-Key", required = false) String header) {
    visibility.require(r.personId());
    IssueOutcome.Issued issued = Issuing.orThrow(issuing.claim(code, r.personId(), IdempotencyKeys.of(r.idempotencyKey(), header)));
    return ResponseEntity.status(issued.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(issued.coupon());
  }

  @PostMapping("/templates/{code}/grants")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "An operator gives a coupon to a person (audience rules do not apply; stock and limit do); idempotent on idempotencyKey")
  ResponseEntity<IssueOutcome.Coupon> grant(
      @PathVariable String code, @Valid @RequestBody IssueRequest r, @RequestHeader(value = "Idempotency-Key", required = false) String header) {
    visibility.require(r.personId());
    IssueOutcome.Issued issued = Issuing.orThrow(issuing.grant(code, r.personId(), "grant:" + Actors.current(), IdempotencyKeys.of(r.idempotencyKey(), header)));
    return ResponseEntity.status(issued.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(issued.coupon());
  }

  @GetMapping("/members/{personId}/coupons")
  @Operation(summary = "A person's coupons, newest first")
  List<Wallet.View> coupons(@PathVariable int personId) {
    return wallet.of(personId, clock.instant());
  }
}
