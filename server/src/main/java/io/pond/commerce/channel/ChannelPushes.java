package io.pond.commerce.channel;

import io.pond.commerce.channel.ChannelShops.ChannelShop;
import io.pond.commerce.order.DeadLetters;
import io.pond.commerce.order.Orders;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.platform.errors.PondException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Receives a channel push: finds the shop, checks the signature with the shop's secret, maps every
 * message, stores the good ones as orders and the bad ones as dead letters — in one transaction, so a
 * failure leaves nothing half-done and the platform's redelivery is safe.
 */
@Component
public class ChannelPushes {

  /** What happened to a push's messages. */
  public record Receipt(int accepted, int deadLettered, int skipped) {}

  private final Map<Channel, ChannelAdapter> adapters = new EnumMap<>(Channel.class);
  private final ChannelShops shops;
  private final Orders orders;
  private final DeadLetters deadLetters;

  ChannelPushes(List<ChannelAdapter> adapters, ChannelShops shops, Orders orders, DeadLetters deadLetters) {
    adapters.forEach(a -> this.adapters.put(a.channel(), a));
    this.shops = shops;
    this.orders = orders;
    this.deadLetters = deadLetters;
  }

  public ChannelShop shop(String channelName, String shopId) {
    Channel channel = channel(channelName);
    return shops.find(channel, shopId).orElseThrow(() -> PondException.notFound("channel shop", channel.wire() + "/" + shopId));
  }

  /** Authenticates without storing anything (WeChat's URL verification). */
  public void authenticate(String channelName, String shopId, HookRequest request) {
    ChannelShop shop = shop(channelName, shopId);
    adapters.get(shop.channel()).authenticate(shop, request);
  }

  @Transactional
  public Receipt receive(String channelName, String shopId, HookRequest request) {
    ChannelShop shop = shop(channelName, shopId);
    ChannelAdapter adapter = adapters.get(shop.channel());
    adapter.authenticate(shop, request);
    List<OrderMessage> accepted = new ArrayList<>();
    List<DeadLetters.Entry> rejected = new ArrayList<>();
    int skipped = 0;
    for (Mapped mapped : adapter.map(shop, request.body())) {
      switch (mapped) {
        case Mapped.Accepted a -> accepted.add(a.message());
        case Mapped.Rejected r ->
            rejected.add(new DeadLetters.Entry(shop.channel(), shop.shopId(), DeadLetters.Source.HOOK, r.reason(), r.payload()));
        case Mapped.Skipped s -> skipped++;
      }
    }
    if (!accepted.isEmpty()) {
      orders.upsert(accepted);
    }
    deadLetters.record(rejected);
    return new Receipt(accepted.size(), rejected.size(), skipped);
  }

  private Channel channel(String name) {
    Channel channel = Channel.fromWire(name).orElseThrow(() -> PondException.notFound("channel", name));
    if (!adapters.containsKey(channel)) {
      throw PondException.notFound("push channel", name + " (send native orders to POST /api/v1/orders)");
    }
    return channel;
  }
}
