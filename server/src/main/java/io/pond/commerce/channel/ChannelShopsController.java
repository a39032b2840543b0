package io.pond.commerce.channel;

import io.pond.commerce.channel.ChannelShops.ChannelShop;
import io.pond.commerce.order.domain.Channel;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/channel-shops")
@Tag(name = "Channel shops", description = "Per-shop app keys and push secrets for the channel hooks")
class ChannelShopsController {

  private final ChannelShops shops;

  ChannelShopsController(ChannelShops shops) {
    this.shops = shops;
  }

  record ShopRequest(
      @NotBlank @Size(max = 100) String name,
      @Size(max = 128) String appKey,
      @NotBlank @Size(min = 8, max = 256) String secret) {}

  /** A shop's configuration as shown: never the secret. */
  record ShopView(long id, String channel, String shopId, String name, String appKey, String hookPath) {
    static ShopView of(ChannelShop s) {
      return new ShopView(s.id(), s.channel().wire(), s.shopId(), s.name(), s.appKey(),
          s.channel() == Channel.NATIVE ? null : "/hooks/" + s.channel().wire() + "/" + s.shopId());
    }
  }

  @GetMapping
  @Operation(summary = "List configured channel shops (secrets are never shown)")
  List<ShopView> list() {
    return shops.list().stream().map(ShopView::of).toList();
  }

  @PutMapping("/{channel}/{shopId}")
  @PreAuthorize("hasRole('ADMIN')")
  @Operation(summary = "Create or replace a shop's app key and push secret")
  ShopView save(@PathVariable String channel, @PathVariable String shopId, @Valid @RequestBody ShopRequest request) {
    if (shopId.length() > 64) {
      throw PondException.invalid("shopId", "at most 64 characters");
    }
    return ShopView.of(shops.save(channel(channel), shopId, request.name(), request.appKey(), request.secret(), Actors.current()));
  }

  @DeleteMapping("/{channel}/{shopId}")
  @PreAuthorize("hasRole('ADMIN')")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Remove a shop: its pushes are refused from then on")
  void delete(@PathVariable String channel, @PathVariable String shopId) {
    shops.delete(channel(channel), shopId, Actors.current());
  }

  static Channel channel(String name) {
    return Channel.fromWire(name)
        .orElseThrow(() -> PondException.invalid("channel", "unknown channel '" + name + "'; one of taobao, doudian, youzan,"
            + " kuaishou, wechat_shop, jd, native"));
  }
}
