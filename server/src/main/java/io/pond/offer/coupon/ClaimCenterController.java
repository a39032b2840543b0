package io.pond.offer.coupon;

import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/offers/claim-center")
@Tag(name = "Claim center", description = "领券中心: the coupon templates members may claim themselves in the member center")
class ClaimCenterController {

  private final ClaimCenter center;

  ClaimCenterController(ClaimCenter center) {
    this.center = center;
  }

  @GetMapping
  @Operation(summary = "Templates in the claim center, in order")
  List<ClaimCenter.Listed> list() {
    return center.listed();
  }

  record ListRequest(Integer position) {}

  @PutMapping("/{code}")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "List a template in the claim center (members may then claim it), or move it; idempotent, audited")
  ClaimCenter.Listed put(@PathVariable String code, @RequestBody(required = false) ListRequest r) {
    return center.list(code, r == null ? null : r.position(), Actors.current());
  }

  @DeleteMapping("/{code}")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Take a template out of the claim center (coupons already claimed stay)")
  ResponseEntity<Void> delete(@PathVariable String code) {
    center.unlist(code, Actors.current());
    return ResponseEntity.noContent().build();
  }
}
