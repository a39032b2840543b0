package io.pond.commerce.order;

import io.pond.commerce.order.OrderRows.Stored;
import io.pond.commerce.order.domain.CanonicalOrder;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderLine;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.commerce.order.domain.Refund;
import io.pond.platform.Identifier;
import io.pond.platform.errors.PondException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import io.pond.platform.security.CurrentCaller;
import io.pond.platform.security.DataScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/orders")
@Tag(name = "Orders", description = "Canonical orders from every channel, the native/POS order API and dead letters")
class OrdersController {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Orders orders;
  private final OrderQueries queries;
  private final DeadLetters deadLetters;
  private final ZoneId zone;

  OrdersController(Orders orders, OrderQueries queries, DeadLetters deadLetters, java.time.Clock clock) {
    this.orders = orders;
    this.queries = queries;
    this.deadLetters = deadLetters;
    this.zone = clock.getZone();
  }

  record LineView(String lineId, String sku, String title, String category, int quantity, long unitPriceFen, long paidFen,
      String refundStatus) {}

  record RefundView(String refundId, String lineId, String state, long amountFen, Instant modifiedAt) {}

  record OrderView(
      long id,
      String channel,
      String shopId,
      String platformOrderId,
      String status,
      String rawStatus,
      long paidFen,
      long discountFen,
      long shippingFen,
      long refundedFen,
      List<Identifier> buyers,
      List<LineView> lines,
      List<RefundView> refunds,
      Instant createdAt,
      Instant paidAt,
      Instant shippedAt,
      Instant deliveredAt,
      Instant completedAt,
      Instant endedAt,
      Instant modifiedAt,
      Instant firstSeenAt,
      String rawPayload) {

    /**
     * @param reveal whether the caller sees personal data: else phones and e-mails among the buyers are
     *     masked and the raw payload (receiver names, phones, addresses) is left out
     */
    static OrderView of(Stored s, boolean withPayload, boolean reveal) {
      CanonicalOrder o = s.order();
      return new OrderView(
          s.id(),
          o.key().channel().wire(),
          o.key().shopId(),
          o.key().platformOrderId(),
          o.status().name(),
          o.rawStatus(),
          o.paidFen(),
          o.discountFen(),
          o.shippingFen(),
          o.refundedFen(),
          reveal ? o.buyers() : o.buyers().stream().map(Identifier::masked).toList(),
          o.lineList().stream().map(l -> line(o, l)).toList(),
          o.refunds().stream().map(OrderView::refund).toList(),
          o.times().createdAt(),
          o.times().paidAt(),
          o.times().shippedAt(),
          o.times().deliveredAt(),
          o.times().completedAt(),
          o.times().endedAt(),
          o.modifiedAt(),
          s.firstSeenAt(),
          withPayload && reveal ? o.rawPayload() : null);
    }

    private static LineView line(CanonicalOrder o, OrderLine l) {
      return new LineView(l.lineId(), l.sku(), l.title(), l.category(), l.quantity(), l.unitPriceFen(), l.paidFen(),
          o.refundStatus(l).name());
    }

    private static RefundView refund(Refund r) {
      return new RefundView(r.refundId(), r.lineId(), r.state().name(), r.amountFen(), r.modifiedAt());
    }
  }

  record PageView(List<OrderView> items, long total, int page, int size) {}

  record UpsertView(String orderKey, int created, int changed, int unchanged) {}

  record DeadLetterView(long id, String channel, String shopId, String source, String reason, String payload, Instant receivedAt) {}

  record DeadLetterPage(List<DeadLetterView> items, long total) {}

  @GetMapping
  @Operation(summary = "Search orders (newest first): channel, shop, status, buyer identifier, creation date range")
  PageView search(
      @RequestParam(required = false) String channel,
      @RequestParam(required = false) String shop,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String buyerType,
      @RequestParam(required = false) String buyerScope,
      @RequestParam(required = false) String buyerValue,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    if (page < 0) {
      throw PondException.invalid("page", "must be 0 or more");
    }
    if (size < 1 || size > 500) {
      throw PondException.invalid("size", "must be between 1 and 500");
    }
    if ((buyerType == null) != (buyerValue == null)) {
      throw PondException.invalid(buyerType == null ? "buyerType" : "buyerValue", "buyerType and buyerValue go together");
    }
    OrderQueries.Filter filter =
        new OrderQueries.Filter(
            channel == null ? null : Channel.fromWire(channel).orElseThrow(() -> PondException.invalid("channel", "unknown channel '" + channel + "'")),
            shop,
            status == null ? null : status(status),
            buyerType == null ? null : new Identifier(buyerType, buyerScope, buyerValue),
            time(from, "from", false),
            time(to, "to", true),
            scopedChannels(channel));
    OrderQueries.Page result = queries.search(filter, page, size);
    boolean reveal = CurrentCaller.maySeePii();
    return new PageView(result.orders().stream().map(s -> OrderView.of(s, false, reveal)).toList(), result.total(), page, size);
  }

  @GetMapping("/{id:\\d+}")
  @Operation(summary = "One order with its lines, refunds, buyer identifiers and raw payload (phones and e-mails masked, raw payload left out, unless the caller is an admin)")
  OrderView one(@PathVariable long id) {
    DataScope scope = CurrentCaller.channels();
    return queries.find(id)
        .filter(s -> scope.permits(s.order().key().channel().wire())) // outside the caller's channels: as if it did not exist
        .map(s -> OrderView.of(s, true, CurrentCaller.maySeePii()))
        .orElseThrow(() -> PondException.notFound("order", id));
  }

  @PostMapping
  @Operation(summary = "Upsert a native/POS order (idempotent: sending it again changes nothing)")
  UpsertView upsert(@RequestBody NativeOrder request) {
    String raw = JSON.writeValueAsString(request);
    var message = (io.pond.commerce.order.domain.OrderMessage) null;
    try {
      message = request.toMessage(raw);
    } catch (PondException e) {
      deadLetters.record(new DeadLetters.Entry(Channel.fromWire(request.channel()).orElse(Channel.NATIVE), request.shopId(),
          DeadLetters.Source.API, (e.field() == null ? "" : e.field() + ": ") + e.getMessage(), raw));
      throw e;
    }
    Orders.UpsertSummary summary = orders.upsert(List.of(message));
    return new UpsertView(message.key().toString(), summary.created(), summary.changed(), summary.unchanged());
  }

  @GetMapping("/dead-letters")
  @Operation(summary = "Payloads that could not become orders, newest first, with the reason (the payload for admins only: it holds personal data)")
  DeadLetterPage deadLetters(
      @RequestParam(required = false) String channel,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > 500) {
      throw PondException.invalid("limit", "must be between 1 and 500");
    }
    Channel ch = channel == null ? null : Channel.fromWire(channel).orElseThrow(() -> PondException.invalid("channel", "unknown channel '" + channel + "'"));
    java.util.Set<String> scope = scopedChannels(channel);
    boolean reveal = CurrentCaller.maySeePii(); // a payload holds receiver names, phones and addresses
    List<DeadLetterView> items =
        deadLetters.list(ch, scope, Math.max(0, offset), limit).stream()
            .map(d -> new DeadLetterView(d.id(), d.channel(), d.shopId(), d.source(), d.reason(), reveal ? d.payload() : null,
                d.receivedAt()))
            .toList();
    return new DeadLetterPage(items, deadLetters.count(ch, scope));
  }

  /** The caller's channels ({@code null}: every channel); naming a channel outside them is refused. */
  private static java.util.Set<String> scopedChannels(String requested) {
    DataScope scope = CurrentCaller.channels();
    if (requested != null) {
      scope.require(requested.trim().toLowerCase(Locale.ROOT));
    }
    return scope.channels().orElse(null);
  }

  private static OrderStatus status(String value) {
    try {
      return OrderStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw PondException.invalid("status", "unknown status '" + value + "'");
    }
  }

  /** A date ({@code 2024-06-01}, local to the brand) or an ISO instant; {@code to} dates are inclusive. */
  private Instant time(String value, String field, boolean endOfDay) {
    if (value == null) {
      return null;
    }
    try {
      if (value.length() == 10) {
        LocalDate d = LocalDate.parse(value);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
      }
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw PondException.invalid(field, "must be a date (2024-06-01) or an instant (2024-06-01T08:00:00Z)");
    }
  }
}
