package io.pond.loyalty.orders;

import io.pond.commerce.OrderCancelled;
import io.pond.commerce.OrderCompleted;
import io.pond.commerce.OrderEventBatches;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrderRefunded;
import io.pond.commerce.OrdersImported;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.loyalty.OrderPoints;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.program.Programs;
import io.pond.platform.Identifier;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Commerce's orders earn points. Each order event is first recorded as a fact ({@link OrderFacts}),
 * then the order is applied as a whole: paid → {@link OrderPoints#paid}, completed →
 * {@link OrderPoints#completed}, every refund → {@link OrderPoints#refunded}, a paid order cancelled →
 * a refund of what was not refunded yet. {@link OrderPoints} is idempotent, so applying an order again
 * (a redelivered or reordered event, a sweep) posts only what is new, and events arriving out of order
 * (completion before payment) are applied once the payment is known.
 *
 * <p>Who earns: in each program, the person the buyer's identifiers resolve to (OneID) if that person
 * has an account in the program — a member; a buyer without one earns nothing automatically, and can
 * claim the order after joining ({@code io.pond.loyalty.claim}). Once an order earns for a person, its
 * later events go to that person (or the survivor of a merge). When identity did not know the buyer
 * yet (its listener runs in parallel with this one), {@link #sweep} tries again.
 *
 * <p>The listeners are asynchronous and not transactional themselves: facts are single idempotent
 * statements and every posting is its own ledger transaction, retried on lock conflicts. A listener
 * that fails leaves its publication incomplete, and it is delivered again at the next start.
 */
@Component
public class OrderEarnings {

  private static final Logger log = LoggerFactory.getLogger(OrderEarnings.class);

  /** Orders paid longer ago than this are no longer retried by the sweep. */
  static final Duration ATTRIBUTION_HORIZON = Duration.ofDays(30);
  /**
   * How long a paid order's listener waits for OneID to know its buyer (identity resolves it in its own
   * listener of the same event); beyond, the sweep ({@link #sweep}) attributes the order later.
   */
  static final Duration BUYER_WAIT = Duration.ofSeconds(5);

  private final OrderFacts facts;
  private final OrderPoints points;
  private final Programs programs;
  private final Persons persons;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final ObjectProvider<OrderArrivals> arrivals;
  private final OrderEventBatches batches;

  OrderEarnings(
      OrderFacts facts, OrderPoints points, Programs programs, Persons persons, JdbcClient jdbc, Clock clock,
      ObjectProvider<OrderArrivals> arrivals, OrderEventBatches batches) {
    this.batches = batches;
    this.facts = facts;
    this.points = points;
    this.programs = programs;
    this.persons = persons;
    this.jdbc = jdbc;
    this.clock = clock;
    this.arrivals = arrivals;
  }

  @Async
  @TransactionalEventListener
  void on(OrderPaid e) {
    paid(e);
  }

  @Async
  @TransactionalEventListener
  void on(OrderCompleted e) {
    completed(e);
  }

  @Async
  @TransactionalEventListener
  void on(OrderRefunded e) {
    refunded(e);
  }

  @Async
  @TransactionalEventListener
  void on(OrderCancelled e) {
    cancelled(e);
  }

  /**
   * An imported chunk (file imports, the demo): its facts recorded at once, then each order applied
   * once with everything known of it — what its events one by one would have left.
   */
  @Async
  @TransactionalEventListener
  void on(OrdersImported chunk) {
    applyAll(facts.recordAll(batches.events(chunk.batchId()), buyers -> personOf(buyers).map(PersonRef::value)));
  }

  private void paid(OrderPaid e) {
    persons.awaitPersonOf(e.buyers(), BUYER_WAIT);
    long id = facts.ensure(e.orderId(), e.channel(), e.shopId(), e.platformOrderId(), e.buyers());
    facts.paid(id, e.paidFen(), e.paidAt());
    apply(id);
  }

  private void completed(OrderCompleted e) {
    long id = facts.ensure(e.orderId(), e.channel(), e.shopId(), e.platformOrderId(), e.buyers());
    facts.completed(id, e.completedAt());
    apply(id);
  }

  private void refunded(OrderRefunded e) {
    long id = facts.ensure(e.orderId(), e.channel(), e.shopId(), e.platformOrderId(), e.buyers());
    facts.refunded(id, e.totalRefundedFen(), e.refundedFen(), e.refundedAt());
    apply(id);
  }

  private void cancelled(OrderCancelled e) {
    if (!e.wasPaid()) {
      return; // never paid: it earned nothing
    }
    long id = facts.ensure(e.orderId(), e.channel(), e.shopId(), e.platformOrderId(), e.buyers());
    facts.cancelled(id, e.cancelledAt());
    apply(id);
  }

  /** Retries paid orders whose buyer identity did not know when they arrived; returns how many were attributed. */
  public int sweep() {
    int attributed = 0;
    for (long id : facts.unattributed(clock.instant().minus(ATTRIBUTION_HORIZON), 1000)) {
      attributed += apply(id) ? 1 : 0;
    }
    return attributed;
  }

  /** Applies everything known of an order to every program it earns in; answers whether its buyer is known. */
  public boolean apply(long orderRowId) {
    OrderFacts.Order order = facts.find(orderRowId).orElseThrow();
    if (!order.paid()) {
      return false;
    }
    Optional<PersonRef> buyer = buyer(order);
    buyer.ifPresent(p -> facts.attributed(order.id(), p.value()));
    for (Programs.Program program : programs.list()) {
      Optional<OrderFacts.Earning> earning = facts.earning(order.id(), program.id());
      if (earning.isEmpty() && buyer.isPresent() && isMember(program.id(), buyer.get())) {
        earning = Optional.of(facts.earnFor(order.id(), program.id(), buyer.get().value(), "buyer"));
      }
      earning.ifPresent(e -> post(program.code(), current(e.personId()), order));
    }
    arrivals.orderedStream().forEach(a -> a.arrived(order));
    return buyer.isPresent();
  }

  /**
   * {@link #apply} for many orders: read at once, attributed in one transaction; only programs'
   * earnings and postings go order by order (each posting is its own ledger transaction).
   */
  void applyAll(List<Long> orderRowIds) {
    if (orderRowIds.isEmpty()) {
      return;
    }
    List<OrderFacts.Order> paid = facts.findAll(orderRowIds).stream().filter(OrderFacts.Order::paid).toList();
    Map<Long, PersonRef> buyers = new HashMap<>();
    Map<Long, Integer> attributions = new LinkedHashMap<>();
    for (OrderFacts.Order order : paid) {
      buyer(order).ifPresent(p -> {
        buyers.put(order.id(), p);
        if (order.personId() == null) {
          attributions.put(order.id(), p.value());
        }
      });
    }
    facts.attributedAll(attributions);
    List<Programs.Program> all = programs.list();
    for (OrderFacts.Order order : paid) {
      Optional<PersonRef> buyer = Optional.ofNullable(buyers.get(order.id()));
      for (Programs.Program program : all) {
        Optional<OrderFacts.Earning> earning = facts.earning(order.id(), program.id());
        if (earning.isEmpty() && buyer.isPresent() && isMember(program.id(), buyer.get())) {
          earning = Optional.of(facts.earnFor(order.id(), program.id(), buyer.get().value(), "buyer"));
        }
        earning.ifPresent(e -> post(program.code(), current(e.personId()), order));
      }
    }
    arrivals.orderedStream().forEach(a -> paid.forEach(a::arrived));
  }

  /** Posts the order's facts for {@code earner}; every call is idempotent. */
  public void post(String program, PersonRef earner, OrderFacts.Order order) {
    OrderPoints.Result paid =
        points.paid(
            new OrderPoints.PaidOrder(
                program, earner, order.channel(), order.shopId(), order.platformOrderId(),
                // commerce's OrderPaid carries the amount paid, not its lines: category rules cannot apply here
                List.of(new OrderPoints.Line(null, order.paidFen())), order.paidAt()));
    if (!paid.posted() && !paid.replayed()) {
      log.warn("Order {}/{} earned nothing in program {}: {}", order.channel(), order.platformOrderId(), program, paid.explanation());
      return;
    }
    if (order.completedAt() != null) {
      points.completed(
          new OrderPoints.CompletedOrder(program, earner, order.channel(), order.shopId(), order.platformOrderId(), order.completedAt()));
    }
    long refunded = 0;
    for (OrderFacts.Refund r : facts.refunds(order.id())) {
      points.refunded(
          new OrderPoints.RefundedOrder(
              program, earner, order.channel(), order.shopId(), order.platformOrderId(), "total-" + r.totalFen(), r.refundedFen(),
              r.refundedAt()));
      refunded = Math.max(refunded, r.totalFen());
    }
    if (order.cancelledAt() != null && refunded < order.paidFen()) {
      points.refunded(
          new OrderPoints.RefundedOrder(
              program, earner, order.channel(), order.shopId(), order.platformOrderId(), "cancelled", order.paidFen() - refunded,
              order.cancelledAt()));
    }
  }

  /** The person the buyer is now: the one first attributed (followed through merges), or whom the identifiers resolve to. */
  private Optional<PersonRef> buyer(OrderFacts.Order order) {
    if (order.personId() != null) {
      return Optional.of(current(order.personId()));
    }
    return personOf(order.buyers());
  }

  /** The person of the first buyer identifier OneID knows. */
  private Optional<PersonRef> personOf(List<Identifier> buyers) {
    for (Identifier identifier : buyers) {
      Optional<PersonId> person = persons.personOf(identifier);
      if (person.isPresent()) {
        return Optional.of(new PersonRef(person.get().value()));
      }
    }
    return Optional.empty();
  }

  /** The person now (the survivor of any merge); the id itself when identity does not know it. */
  public PersonRef current(int personId) {
    if (personId <= 0) {
      return new PersonRef(personId);
    }
    return new PersonRef(persons.current(PersonId.of(personId)).map(PersonId::value).orElse(personId));
  }

  /** A member: the person has an open account in the program. */
  public boolean isMember(long programId, PersonRef person) {
    return jdbc.sql("SELECT COUNT(*) FROM loyalty_account WHERE program_id = ? AND person_id = ? AND merged_into_person IS NULL")
            .params(programId, person.value())
            .query(Long.class)
            .single()
        > 0;
  }
}
