package io.pond.offer.checkout;

import io.pond.identity.PersonVisibility;
import io.pond.offer.coupon.IdempotencyKeys;
import io.pond.offer.coupon.domain.Cart;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.CurrentCaller;
import io.pond.platform.security.DataScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/offers/checkout")
@Tag(name = "Coupon checkout", description = "Validate a cart, lock coupons, redeem them on an order, release them; every call idempotent")
class CheckoutController {

  private final Checkout checkout;
  private final PersonVisibility visibility;

  CheckoutController(Checkout checkout, PersonVisibility visibility) {
    this.checkout = checkout;
    this.visibility = visibility;
  }

  /** A caller limited to some channels checks out only carts of its channels, for persons it may see. */
  private void requireInScope(int personId, CartRequest cart) {
    CurrentCaller.channels().require(cart.channel());
    visibility.require(personId);
  }

  record LineRequest(@NotBlank @Size(max = 64) String sku, @Size(max = 64) String category, @NotNull @Min(1) @Max(10_000) Integer quantity,
      @NotNull @Min(0) Long unitPriceFen) {}

  record CartRequest(@NotBlank @Size(max = 32) String channel, @NotBlank @Size(max = 64) String shop,
      @NotEmpty @Size(max = 200) List<@Valid LineRequest> lines, @Min(0) Long shippingFen) {

    Cart toCart() {
      if (!DataScope.CHANNEL.matcher(channel).matches()) {
        throw PondException.invalid("cart.channel", "'" + channel + "' is not a channel code");
      }
      return new Cart(channel, shop, lines.stream().map(l -> new Cart.Line(l.sku(), l.category(), l.quantity(), l.unitPriceFen())).toList(),
          shippingFen == null ? 0 : shippingFen);
    }
  }

  record ValidateRequest(@NotNull @Min(1) Integer personId, @NotNull @Valid CartRequest cart, @Size(max = 20) List<String> codes) {}

  @PostMapping("/validate")
  @Operation(summary = "Which coupons apply to a cart, the discount each gives, and the best combination under the stacking rules")
  Checkout.Evaluation validate(@Valid @RequestBody ValidateRequest r) {
    requireInScope(r.personId(), r.cart());
    return checkout.validate(r.personId(), r.cart().toCart(), r.codes());
  }

  record LockRequest(
      @Size(max = 200) String idempotencyKey, @NotNull @Min(1) Integer personId, @NotNull @Valid CartRequest cart,
      @NotEmpty @Size(max = 20) List<String> codes, @Size(max = 128) String orderId) {}

  @PostMapping("/locks")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Lock coupons to a checkout (all or none); idempotent on idempotencyKey or the Idempotency-Key header")
  ResponseEntity<Checkout.LockView> lock(@Valid @RequestBody LockRequest r, @RequestHeader(value = "Idempotency-Key", required = false) String header) {
    requireInScope(r.personId(), r.cart());
    Checkout.LockView lock = checkout.lock(IdempotencyKeys.of(r.idempotencyKey(), header), r.personId(), r.cart().toCart(), r.codes(), r.orderId());
    return ResponseEntity.status(lock.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(lock);
  }

  @GetMapping("/locks/{id}")
  @Operation(summary = "A lock and its coupons")
  Checkout.LockView get(@PathVariable long id) {
    return checkout.get(id);
  }

  record RedeemRequest(@Size(max = 128) String orderId) {}

  @PostMapping("/locks/{id}/redeem")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Use the locked coupons on the order; redeeming again for the same order answers the same")
  Checkout.LockView redeem(@PathVariable long id, @Valid @RequestBody(required = false) RedeemRequest r) {
    return checkout.redeem(id, r == null ? null : r.orderId());
  }

  @PostMapping("/locks/{id}/release")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Give the locked coupons back (checkout abandoned); releasing again answers the same")
  Checkout.LockView release(@PathVariable long id) {
    return checkout.release(id);
  }
}
