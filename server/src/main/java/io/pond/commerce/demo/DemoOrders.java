package io.pond.commerce.demo;

import io.pond.commerce.order.Orders;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderLine;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.commerce.order.domain.Refund;
import io.pond.commerce.order.domain.RefundState;
import io.pond.platform.demo.DemoContributor;
import io.pond.platform.demo.DemoPerson;
import io.pond.platform.demo.DemoProgress;
import io.pond.platform.demo.DemoWorld;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The demo brand's orders: two years of them for every buying person, loaded through the bulk path
 * ({@link Orders#importChunk}) so that identity resolves their buyers as it does for an import.
 *
 * <p>Shape: one order for one-off buyers, two to five for regulars, six or more for loyal customers,
 * repeat orders spaced by a few months; the favourite channel takes most of a person's orders; days
 * follow the retail calendar (618, 双11); one to three lines from a skincare-and-lifestyle catalogue,
 * festival discounts, free shipping from ¥99; about 6% cancelled before payment, 7% of completed orders
 * refunded (a line, or all of it), recent orders still paid or shipped.
 */
@Component
class DemoOrders implements DemoContributor {

  private record Product(String sku, String title, String category, long priceFen) {}

  private static final List<Product> CATALOGUE =
      List.of(
          new Product("FC-AMINO-120", "氨基酸洁面乳 120g", "美妆>面部护理", 8_900),
          new Product("SR-HA-30", "玻尿酸精华液 30ml", "美妆>面部护理", 25_900),
          new Product("CR-NIGHT-50", "修护晚霜 50g", "美妆>面部护理", 32_900),
          new Product("MK-HA-10", "玻尿酸补水面膜 10片", "美妆>面膜", 9_900),
          new Product("SUN-SPF50", "清透防晒乳 SPF50 50ml", "美妆>防晒", 13_900),
          new Product("LIP-RD-01", "丝绒雾面唇釉 #01", "美妆>彩妆", 12_900),
          new Product("CUSH-NC20", "气垫粉底 NC20", "美妆>彩妆", 19_900),
          new Product("SH-500", "控油去屑洗发水 500ml", "个护>洗发护发", 6_900),
          new Product("BW-400", "香氛沐浴露 400ml", "个护>身体护理", 5_900),
          new Product("HC-75", "护手霜礼盒 3×30ml", "个护>身体护理", 7_900),
          new Product("GIFT-SET", "明星礼盒(精华+面霜)", "美妆>礼盒", 59_900),
          new Product("TEA-200", "花草茶 200g", "食品>冲饮", 4_900));

  private static final int CHUNK = 1000;
  private static final int MAX_ORDERS_PER_PERSON = 60;

  private final Orders orders;
  private final JdbcTemplate jdbc;

  DemoOrders(Orders orders, JdbcTemplate jdbc) {
    this.orders = orders;
    this.jdbc = jdbc;
  }

  @Override
  public String name() {
    return "orders";
  }

  @Override
  public int order() {
    return ORDERS;
  }

  @Override
  public long existing() {
    Long n = jdbc.queryForObject("SELECT count(*) FROM commerce_order", Long.class);
    return n == null ? 0 : n;
  }

  @Override
  public void load(DemoWorld world, DemoProgress progress) {
    progress.total(world.persons(), " persons");
    ExecutorService writers = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "pond-demo-orders");
      t.setDaemon(true);
      return t;
    });
    List<Future<?>> inFlight = new ArrayList<>();
    try {
      List<OrderMessage> chunk = new ArrayList<>(CHUNK);
      int personsInChunk = 0;
      for (int i = 0; i < world.persons(); i++) {
        DemoPerson p = world.person(i);
        if (p.buys()) {
          chunk.addAll(ordersOf(world, p));
        }
        personsInChunk++;
        if (chunk.size() >= CHUNK) {
          submit(writers, inFlight, chunk, personsInChunk, progress);
          chunk = new ArrayList<>(CHUNK);
          personsInChunk = 0;
        }
      }
      submit(writers, inFlight, chunk, personsInChunk, progress);
      for (Future<?> f : inFlight) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } finally {
      writers.shutdownNow();
    }
  }

  /** Two chunks in the database at a time, at most four waiting: generation never runs far ahead. */
  private void submit(ExecutorService writers, List<Future<?>> inFlight, List<OrderMessage> chunk, int persons, DemoProgress progress)
      throws InterruptedException, ExecutionException {
    while (inFlight.size() >= 4) {
      inFlight.removeFirst().get();
    }
    inFlight.add(
        writers.submit(
            () -> {
              if (!chunk.isEmpty()) {
                orders.importChunk(chunk, true);
              }
              progress.advance(persons);
            }));
  }

  /** A person's orders over the two years, the same for the same seed. */
  List<OrderMessage> ordersOf(DemoWorld world, DemoPerson p) {
    SplittableRandom r = world.random("orders", p.index());
    int count =
        switch (p.segment()) {
          case ONE_OFF -> 1;
          case REGULAR -> 2 + r.nextInt(4);
          case LOYAL -> Math.min(MAX_ORDERS_PER_PERSON, 6 + (int) (-Math.log(1 - r.nextDouble()) * 5));
          case BROWSER -> 0;
        };
    double meanGapDays = p.segment() == DemoPerson.Segment.LOYAL ? 60 : 110;
    List<OrderMessage> out = new ArrayList<>(count);
    LocalDate day = world.seasonalDay(r);
    LocalDate half = world.firstDay().plusYears(1);
    for (int tries = 0; count > 1 && day.isAfter(half) && tries < 20; tries++) {
      day = world.seasonalDay(r); // repeat buyers start in the first year, so that their orders fit in the two
    }
    for (int k = 0; k < count && !day.isAfter(world.today()); k++) {
      // every channel of the person sees an order early on; later the favourite takes most of them
      String channel = k < p.channels().size() ? p.channels().get(k)
          : p.channels().size() == 1 || r.nextDouble() < 0.7 ? p.channels().getFirst() : p.channels().get(1 + r.nextInt(p.channels().size() - 1));
      out.add(order(world, p, k, channel, day, r));
      long gap = 7 + (long) (-Math.log(1 - r.nextDouble()) * meanGapDays);
      LocalDate next = day.plusDays(gap);
      LocalDate festival = world.seasonalDay(r); // a sale nearby pulls the next order onto it
      if (festival.isAfter(day) && Math.abs(festival.toEpochDay() - next.toEpochDay()) < 20) {
        next = festival;
      }
      day = next;
    }
    return out;
  }

  private static OrderMessage order(DemoWorld world, DemoPerson p, int k, String channelWire, LocalDate day, SplittableRandom r) {
    Channel channel = Channel.fromWire(channelWire).orElseThrow();
    String shop =
        switch (channelWire) {
          case DemoWorld.TAOBAO -> DemoWorld.TMALL_SHOP;
          case DemoWorld.JD -> DemoWorld.JD_SHOP;
          case DemoWorld.DOUDIAN -> DemoWorld.DOUYIN_SHOP;
          case DemoWorld.WECHAT_SHOP -> DemoWorld.WECHAT_APPID;
          default -> DemoWorld.STORE_SHOP;
        };
    long serial = (long) p.index() * MAX_ORDERS_PER_PERSON + k;
    String orderId =
        switch (channelWire) {
          case DemoWorld.TAOBAO -> String.valueOf(3_900_000_000_000_000_000L + serial);
          case DemoWorld.JD -> String.valueOf(290_000_000_000L + serial);
          case DemoWorld.DOUDIAN -> String.valueOf(6_920_000_000_000_000_000L + serial);
          case DemoWorld.WECHAT_SHOP -> String.valueOf(3_720_000_000_000_000_000L + serial);
          default -> "POS-" + serial;
        };
    int hour = r.nextDouble() < 0.3 ? 20 + r.nextInt(4) : 9 + r.nextInt(11);
    Instant created = day.atTime(hour, r.nextInt(60), r.nextInt(60)).atZone(world.zone()).toInstant();
    boolean festival = (day.getMonthValue() == 6 && day.getDayOfMonth() <= 18) || (day.getMonthValue() == 11 && day.getDayOfMonth() <= 11);

    int lineCount = r.nextDouble() < 0.6 ? 1 : r.nextDouble() < 0.7 ? 2 : 3;
    List<OrderLine> lines = new ArrayList<>(lineCount);
    long goods = 0;
    for (int l = 0; l < lineCount; l++) {
      Product product = CATALOGUE.get(r.nextInt(CATALOGUE.size()));
      if (lines.stream().anyMatch(x -> x.sku().equals(product.sku()))) {
        continue;
      }
      int quantity = r.nextDouble() < 0.85 ? 1 : 2 + r.nextInt(2);
      long paid = product.priceFen() * quantity * (festival ? 85 : 100) / 100;
      lines.add(new OrderLine(String.valueOf(l + 1), product.sku(), product.title(), product.category(), quantity, product.priceFen(), paid));
      goods += product.priceFen() * quantity;
    }
    long linesPaid = lines.stream().mapToLong(OrderLine::paidFen).sum();
    long discount = goods - linesPaid;
    long shipping = channel == Channel.NATIVE || linesPaid >= 9_900 ? 0 : 800;
    long paidFen = linesPaid + shipping;

    long ageDays = world.today().toEpochDay() - day.toEpochDay();
    OrderStatus status;
    if (r.nextDouble() < 0.06) {
      status = OrderStatus.CANCELLED;
    } else if (ageDays < 2) {
      status = r.nextBoolean() ? OrderStatus.PAID : OrderStatus.SHIPPED;
    } else if (ageDays < 10) {
      status = r.nextBoolean() ? OrderStatus.SHIPPED : OrderStatus.DELIVERED;
    } else {
      status = OrderStatus.COMPLETED;
    }
    if (channel == Channel.NATIVE && status != OrderStatus.CANCELLED) {
      status = OrderStatus.COMPLETED; // a store sale is done at the till
    }
    boolean paidOrder = status != OrderStatus.CANCELLED;
    Instant paidAt = paidOrder ? created.plusSeconds(channel == Channel.NATIVE ? 0 : 20 + r.nextInt(900)) : null;
    Instant shippedAt = status.ordinal() >= OrderStatus.SHIPPED.ordinal() && paidOrder && channel != Channel.NATIVE
        ? paidAt.plus(Duration.ofHours(4 + r.nextInt(44))) : null;
    Instant deliveredAt = shippedAt != null && status.ordinal() >= OrderStatus.DELIVERED.ordinal()
        ? shippedAt.plus(Duration.ofHours(24 + r.nextInt(72))) : null;
    Instant completedAt = status == OrderStatus.COMPLETED
        ? (channel == Channel.NATIVE ? paidAt : deliveredAt.plus(Duration.ofDays(1 + r.nextInt(7)))) : null;
    Instant endedAt = status == OrderStatus.CANCELLED ? created.plus(Duration.ofMinutes(15 + r.nextInt(45))) : null;
    if (status == OrderStatus.COMPLETED && deliveredAt == null && channel != Channel.NATIVE) {
      deliveredAt = completedAt;
    }

    List<Refund> refunds = new ArrayList<>(1);
    Instant modified = latest(created, paidAt, shippedAt, deliveredAt, completedAt, endedAt);
    if (status == OrderStatus.COMPLETED && r.nextDouble() < 0.07) {
      OrderLine line = lines.get(r.nextInt(lines.size()));
      boolean whole = lines.size() == 1 || r.nextDouble() < 0.3;
      long amount = whole ? paidFen : line.paidFen();
      Instant at = completedAt.plus(Duration.ofDays(1 + r.nextInt(6)));
      if (!at.isAfter(world.today().plusDays(1).atStartOfDay(world.zone()).toInstant())) {
        refunds.add(new Refund("RF" + orderId, whole ? null : line.lineId(), RefundState.REFUNDED, amount, at));
        modified = at;
      }
    } else if (paidOrder && ageDays < 10 && r.nextDouble() < 0.03) {
      refunds.add(new Refund("RF" + orderId, null, RefundState.REQUESTED, paidFen, modified));
    }

    OrderMessage.Builder m =
        OrderMessage.builder(new OrderKey(channel, shop, orderId), modified)
            .status(status, rawStatus(channel, status))
            .paidFen(paidOrder ? paidFen : null)
            .discountFen(discount)
            .shippingFen(shipping)
            .lines(lines)
            .createdAt(created)
            .paidAt(paidAt)
            .shippedAt(shippedAt)
            .deliveredAt(deliveredAt)
            .completedAt(completedAt)
            .endedAt(endedAt)
            .buyer(p.buyerOn(channelWire))
            .rawPayload("{\"source\":\"pond demo\",\"seed\":" + world.seed() + ",\"person\":" + p.index() + "}");
    if (p.gavePhoneOn(channelWire)) {
      m.buyer(p.phoneIdentifier());
    }
    if (channel == Channel.WECHAT_SHOP) {
      m.buyer(p.unionidIdentifier());
    }
    refunds.forEach(m::refund);
    return m.build();
  }

  private static Instant latest(Instant... times) {
    Instant out = null;
    for (Instant t : times) {
      if (t != null && (out == null || t.isAfter(out))) {
        out = t;
      }
    }
    return out;
  }

  /** The platform's own word for the status, as its adapter would have kept it. */
  private static String rawStatus(Channel channel, OrderStatus status) {
    return switch (channel) {
      case TAOBAO -> switch (status) {
        case PAID -> "WAIT_SELLER_SEND_GOODS";
        case SHIPPED -> "WAIT_BUYER_CONFIRM_GOODS";
        case DELIVERED -> "TRADE_BUYER_SIGNED";
        case COMPLETED -> "TRADE_FINISHED";
        case CANCELLED -> "TRADE_CLOSED_BY_TAOBAO";
        default -> status.name();
      };
      case DOUDIAN -> switch (status) {
        case PAID -> "2";
        case SHIPPED, DELIVERED -> "3";
        case COMPLETED -> "5";
        case CANCELLED -> "4";
        default -> status.name();
      };
      case JD -> switch (status) {
        case PAID -> "WAIT_SELLER_STOCK_OUT";
        case SHIPPED, DELIVERED -> "WAIT_GOODS_RECEIVE_CONFIRM";
        case COMPLETED -> "FINISHED_L";
        case CANCELLED -> "TRADE_CANCELED";
        default -> status.name();
      };
      case WECHAT_SHOP -> switch (status) {
        case PAID -> "channels_ec_order_pay";
        case SHIPPED -> "channels_ec_order_deliver";
        case DELIVERED -> "channels_ec_order_confirm";
        case COMPLETED -> "channels_ec_order_settle";
        case CANCELLED -> "channels_ec_order_cancel";
        default -> status.name();
      };
      default -> status.name();
    };
  }
}
