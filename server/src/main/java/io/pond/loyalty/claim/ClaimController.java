package io.pond.loyalty.claim;

import io.pond.loyalty.PersonRef;
import io.pond.platform.errors.PondException;
import io.pond.platform.errors.Problems;
import io.pond.platform.security.CurrentCaller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/loyalty")
@Tag(name = "Loyalty order claims", description = "订单换积分: members claim orders by channel and order number")
class ClaimController {

  private final OrderClaims claims;

  ClaimController(OrderClaims claims) {
    this.claims = claims;
  }

  record ClaimRequest(@NotBlank @Size(max = 16) String channel, @NotBlank @Size(max = 64) String orderNumber, @Size(max = 64) String shop) {}

  @PostMapping("/programs/{program}/members/{personId}/claims")
  @Operation(summary = "A member claims an order: settled at once when the order is known (201), else held until it arrives (202)")
  ResponseEntity<OrderClaims.Claim> submit(@PathVariable String program, @PathVariable int personId, @Valid @RequestBody ClaimRequest r) {
    OrderClaims.Claim claim = claims.submit(program, member(personId), r.channel(), r.orderNumber(), r.shop());
    return ResponseEntity.status(claim.status() == OrderClaims.Status.HELD ? HttpStatus.ACCEPTED : HttpStatus.CREATED).body(claim);
  }

  @GetMapping("/programs/{program}/members/{personId}/claims")
  @Operation(summary = "A member's claims, newest first")
  List<OrderClaims.Claim> memberClaims(
      @PathVariable String program, @PathVariable int personId, @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
    return claims.list(program, member(personId).value(), null, null, limit);
  }

  @GetMapping("/programs/{program}/claims")
  @Operation(summary = "Claims of the program newest first, by status (HELD, ACCEPTED, REJECTED, EXPIRED) and member")
  List<OrderClaims.Claim> list(
      @PathVariable String program,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Integer personId,
      @RequestParam(required = false) Long before,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
    return claims.list(program, personId, status(status), before, limit, CurrentCaller.channels().channels().orElse(null));
  }

  @GetMapping("/programs/{program}/claims/{id}")
  @Operation(summary = "One claim with its decision and reason")
  OrderClaims.Claim one(@PathVariable String program, @PathVariable long id) {
    OrderClaims.Claim claim = claims.get(id);
    if (!claim.program().equals(program) || !CurrentCaller.channels().permits(claim.channel())) {
      throw PondException.notFound("order claim", id);
    }
    return claim;
  }

  @PostMapping("/claims/sweep")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Settle held claims whose order arrived and expire those past their hold, now")
  int sweep() {
    return claims.sweep();
  }

  @ExceptionHandler(ClaimsRateLimited.class)
  ResponseEntity<ProblemDetail> rateLimited(ClaimsRateLimited e) {
    return ResponseEntity.status(429).header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).body(Problems.of(e));
  }

  private static PersonRef member(int personId) {
    if (personId <= 0) {
      throw PondException.invalid("personId", "must be positive");
    }
    return new PersonRef(personId);
  }

  private static OrderClaims.Status status(String status) {
    if (status == null) {
      return null;
    }
    try {
      return OrderClaims.Status.valueOf(status.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw PondException.invalid("status", "must be one of HELD, ACCEPTED, REJECTED, EXPIRED");
    }
  }
}
