package io.pond.commerce.channel;

import io.pond.commerce.channel.ChannelShops.ChannelShop;
import io.pond.commerce.order.domain.Channel;
import java.util.List;

/**
 * Turns one channel's pushes into canonical order messages. An adapter checks the push's signature
 * with the shop's secret, then maps each message; a message it cannot map (malformed, unknown status)
 * comes back {@link Mapped.Rejected} with the reason, for the dead-letter table.
 */
interface ChannelAdapter {

  Channel channel();

  /** Throws {@link io.pond.platform.errors.PondException} (invalid_credentials) when the signature is wrong. */
  void authenticate(ChannelShop shop, HookRequest request);

  /** Maps every message in the body; never throws for bad content. */
  List<Mapped> map(ChannelShop shop, String body);
}
