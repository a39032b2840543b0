package io.pond.loyalty.redemption;

import io.pond.loyalty.PersonRef;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/loyalty/programs/{program}")
@Tag(name = "Loyalty redemption", description = "Points and points-plus-cash checkouts (reserve → confirm / cancel) and the points mall")
class RedemptionController {

  private final Redemptions redemptions;

  RedemptionController(Redemptions redemptions) {
    this.redemptions = redemptions;
  }

  record ItemRequest(@NotBlank @Size(max = 64) String code, @Size(max = 200) String name, @NotNull @Min(1) Long points, @Min(0) Long cashFen, @NotNull @Min(0) Integer stock) {}

  @PostMapping("/mall/items")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Add a points-mall item: a price in points (plus optional cash) and a stock")
  Redemptions.Item createItem(@PathVariable String program, @Valid @RequestBody ItemRequest r) {
    return redemptions.createItem(program, r.code(), r.name(), r.points(), r.cashFen() == null ? 0 : r.cashFen(), r.stock());
  }

  @GetMapping("/mall/items")
  @Operation(summary = "Points-mall items with their stock")
  List<Redemptions.Item> items(@PathVariable String program) {
    return redemptions.items(program);
  }

  record ReserveRequest(
      @NotNull @Min(0) Integer personId,
      @NotBlank @Size(max = 200) String businessId,
      @Min(1) Long points,
      @Min(0) Long cashFen,
      @Size(max = 64) String itemCode,
      @Min(1) @Max(100) Integer quantity) {}

  @PostMapping("/reservations")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Reserve points (or points + cash, or a mall item) for a checkout; idempotent on businessId")
  Redemptions.Reservation reserve(@PathVariable String program, @Valid @RequestBody ReserveRequest r) {
    if (r.itemCode() == null && r.points() == null) {
      throw PondException.invalid("points", "give points (and cashFen) or an itemCode");
    }
    if (r.itemCode() != null && r.points() != null) {
      throw PondException.invalid("points", "a mall item has its own price; give itemCode or points, not both");
    }
    return redemptions.reserve(
        program, new PersonRef(r.personId()), r.businessId(), r.points() == null ? 0 : r.points(), r.cashFen() == null ? 0 : r.cashFen(),
        r.itemCode(), r.quantity() == null ? 1 : r.quantity(), Actors.current());
  }

  @PostMapping("/reservations/{businessId}/confirm")
  @Operation(summary = "Confirm a reservation (the checkout was paid)")
  Redemptions.Reservation confirm(@PathVariable String program, @PathVariable String businessId) {
    Redemptions.Reservation r = redemptions.confirm(program, businessId);
    if (!"CONFIRMED".equals(r.status())) {
      throw new PondException(ErrorCode.CONFLICT, "reservation " + businessId + " expired; its points were given back", "businessId");
    }
    return r;
  }

  @PostMapping("/reservations/{businessId}/cancel")
  @Operation(summary = "Cancel a reservation; its points (and stock) are given back")
  Redemptions.Reservation cancel(@PathVariable String program, @PathVariable String businessId) {
    return redemptions.cancel(program, businessId);
  }
}
