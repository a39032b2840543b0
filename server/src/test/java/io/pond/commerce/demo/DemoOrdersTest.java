package io.pond.commerce.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.commerce.order.domain.OrderMessage;
import io.pond.platform.demo.DemoPerson;
import io.pond.platform.demo.DemoWorld;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The demo brand's orders: deterministic for a seed, and shaped like a real brand's year. */
class DemoOrdersTest {

  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

  static List<OrderMessage> orders(long seed, int persons) {
    DemoWorld world = new DemoWorld(persons, seed, TODAY, CHINA);
    DemoOrders demo = new DemoOrders(null, null);
    List<OrderMessage> out = new ArrayList<>();
    for (int i = 0; i < persons; i++) {
      DemoPerson p = world.person(i);
      if (p.buys()) {
        out.addAll(demo.ordersOf(world, p));
      }
    }
    return out;
  }

  @Test
  void the_same_seed_gives_the_same_orders_and_another_seed_other_orders() {
    assertThat(orders(3, 500)).isEqualTo(orders(3, 500));
    assertThat(orders(4, 500)).isNotEqualTo(orders(3, 500));
  }

  @Test
  void double_eleven_and_618_are_the_peaks_of_the_year_and_orders_stay_inside_the_two_years() {
    List<OrderMessage> orders = orders(1, 20_000);
    Map<LocalDate, Integer> perDay = new TreeMap<>();
    for (OrderMessage o : orders) {
      LocalDate day = o.times().createdAt().atZone(CHINA).toLocalDate();
      assertThat(day).isAfter(TODAY.minusYears(2)).isBeforeOrEqualTo(TODAY);
      perDay.merge(day, 1, Integer::sum);
    }
    double average = orders.size() / 730.0;
    assertThat(perDay.get(LocalDate.of(2025, 11, 11))).isGreaterThan((int) (average * 5));
    assertThat(perDay.get(LocalDate.of(2025, 6, 18))).isGreaterThan((int) (average * 3));
    assertThat(perDay.getOrDefault(LocalDate.of(2025, 3, 12), 0)).isLessThan((int) (average * 2));
  }

  @Test
  void loyal_customers_buy_repeatedly_and_one_off_buyers_once() {
    DemoWorld world = new DemoWorld(3_000, 1, TODAY, CHINA);
    DemoOrders demo = new DemoOrders(null, null);
    int loyalOrders = 0;
    int loyal = 0;
    for (int i = 0; i < world.persons(); i++) {
      DemoPerson p = world.person(i);
      switch (p.segment()) {
        case ONE_OFF -> assertThat(demo.ordersOf(world, p)).hasSize(1);
        case LOYAL -> {
          loyal++;
          loyalOrders += demo.ordersOf(world, p).size();
        }
        default -> {}
      }
    }
    assertThat((double) loyalOrders / loyal).as("orders per loyal customer").isGreaterThan(4);
  }
}
