package io.pond.identity.intake;

import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderEventBatches;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrderPlaced;
import io.pond.commerce.OrdersImported;
import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.ResolvingIdentity;
import io.pond.platform.Identifier;
import io.pond.platform.pii.PiiCipher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Async;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.stereotype.Component;

/**
 * Orders carry their buyer's identifiers (platform buyer ids, and a phone only where the buyer gave it
 * for membership); identifiers on one order are evidence of one person. Delivered after the order's
 * transaction commits, through the durable publication registry, so a crash delivers it again; the
 * idempotency key (order + buyer set) makes a repeat change nothing. Not transactional itself (unlike
 * {@code @ApplicationModuleListener}): each resolution commits in identity's own transaction, so a
 * listener holds one connection, not two, and many listeners at once cannot starve the pool.
 */
@Component
class OrderBuyers {

  private final ResolvingIdentity identity;
  private final OrderEventBatches batches;
  private final PiiCipher cipher;

  OrderBuyers(ResolvingIdentity identity, OrderEventBatches batches, PiiCipher cipher) {
    this.identity = identity;
    this.batches = batches;
    this.cipher = cipher;
  }

  @Async
  @TransactionalEventListener
  @Order(Ordered.HIGHEST_PRECEDENCE) // queued before the other modules' listeners, which wait for the buyers' person
  void on(OrderPlaced order) {
    resolve(order.channel(), order.orderId(), order.buyers(), order.placedAt());
  }

  /** Buyers can become known with payment (e.g. a member number added at checkout). */
  @Async
  @TransactionalEventListener
  @Order(Ordered.HIGHEST_PRECEDENCE) // queued before the other modules' listeners, which wait for the buyers' person
  void on(OrderPaid order) {
    resolve(order.channel(), order.orderId(), order.buyers(), order.paidAt());
  }

  /** A bulk-loaded chunk of orders: the same evidence as the single events, resolved in one batch. */
  @Async
  @TransactionalEventListener
  @Order(Ordered.HIGHEST_PRECEDENCE) // queued before the other modules' listeners, which wait for the buyers' person
  void on(OrdersImported chunk) {
    List<Evidence> evidence = new ArrayList<>();
    for (OrderEvent e : batches.events(chunk.batchId())) {
      Evidence one =
          switch (e) {
            case OrderPlaced p -> evidence(p.channel(), p.orderId(), p.buyers(), p.placedAt());
            case OrderPaid p -> evidence(p.channel(), p.orderId(), p.buyers(), p.paidAt());
            default -> null;
          };
      if (one != null) {
        evidence.add(one);
      }
    }
    if (!evidence.isEmpty()) {
      identity.resolveAll(evidence);
    }
  }

  private void resolve(String channel, long orderId, List<Identifier> buyers, Instant at) {
    Evidence evidence = evidence(channel, orderId, buyers, at);
    if (evidence != null) {
      identity.resolveAll(List.of(evidence));
    }
  }

  /**
   * The evidence of one order's buyers; its key names the order and the buyer set by a keyed hash (the
   * set may hold a phone: an unkeyed hash of it could be reversed by trying every number).
   */
  private Evidence evidence(String channel, long orderId, List<Identifier> buyers, Instant at) {
    if (buyers == null || buyers.isEmpty() || at == null) {
      return null;
    }
    String buyerSet =
        buyers.stream()
            .sorted(Comparator.comparing(Identifier::type).thenComparing(Identifier::scope).thenComparing(Identifier::value))
            .map(b -> b.type() + "/" + b.scope() + "/" + b.value())
            .collect(Collectors.joining("|"));
    String key = "order:" + orderId + ":" + cipher.keyedHash(buyerSet).substring(0, 16);
    return new Evidence(buyers, LinkKind.TOGETHER, "channel:" + channel, at, key);
  }
}
