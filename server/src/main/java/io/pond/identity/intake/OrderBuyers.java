package io.pond.identity.intake;

import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrderPlaced;
import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.ResolvingIdentity;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Orders carry their buyer's identifiers (platform buyer ids, and a phone only where the buyer gave it
 * for membership); identifiers on one order are evidence of one person. Delivered after the order's
 * transaction commits, through the durable publication registry, so a crash delivers it again; the
 * idempotency key (order + buyer set) makes a repeat change nothing.
 */
@Component
class OrderBuyers {

  private final ResolvingIdentity identity;

  OrderBuyers(ResolvingIdentity identity) {
    this.identity = identity;
  }

  @ApplicationModuleListener
  void on(OrderPlaced order) {
    resolve(order.channel(), order.orderId(), order.buyers(), order.placedAt());
  }

  /** Buyers can become known with payment (e.g. a member number added at checkout). */
  @ApplicationModuleListener
  void on(OrderPaid order) {
    resolve(order.channel(), order.orderId(), order.buyers(), order.paidAt());
  }

  private void resolve(String channel, long orderId, List<Identifier> buyers, Instant at) {
    if (buyers == null || buyers.isEmpty() || at == null) {
      return;
    }
    String buyerSet =
        buyers.stream()
            .sorted(Comparator.comparing(Identifier::type).thenComparing(Identifier::scope).thenComparing(Identifier::value))
            .map(b -> b.type() + "/" + b.scope() + "/" + b.value())
            .collect(Collectors.joining("|"));
    String key = "order:" + orderId + ":" + EventEvidence.sha256(buyerSet).substring(0, 16);
    identity.resolveAll(List.of(new Evidence(buyers, LinkKind.TOGETHER, "channel:" + channel, at, key)));
  }
}
