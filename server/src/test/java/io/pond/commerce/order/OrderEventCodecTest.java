package io.pond.commerce.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.commerce.OrderCancelled;
import io.pond.commerce.OrderCompleted;
import io.pond.commerce.OrderEvent;
import io.pond.commerce.OrderPaid;
import io.pond.commerce.OrderPlaced;
import io.pond.commerce.OrderRefunded;
import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of a bulk-load chunk's events gives back exactly the events stored. */
class OrderEventCodecTest {

  @Test
  void every_kind_of_order_event_comes_back_equal_in_the_same_order() {
    List<Identifier> buyers =
        List.of(Identifier.scoped(Identifier.TAOBAO_OPEN_UID, "shop-1", "AAHx9"), Identifier.global(Identifier.PHONE, "+8613800001111"));
    Instant t = Instant.parse("2025-11-11T00:00:01.123456789Z");
    List<OrderEvent> events = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      events.add(new OrderPlaced(i, "taobao", "shop-1", "T" + i, buyers, "COMPLETED", 25_900, t.plusSeconds(i)));
      events.add(new OrderPaid(i, "taobao", "shop-1", "T" + i, buyers, 25_900, 2_000, 0, t));
      events.add(new OrderCompleted(i, "taobao", "shop-1", "T" + i, List.of(), 25_900, 0, null));
    }
    events.add(new OrderCancelled(7, "doudian", "店铺-2", "D7", buyers, "CLOSED", true, 100, 100, t));
    events.add(new OrderRefunded(8, "jd", "jd-1", "J8", buyers, 100, 40, 90, t));

    byte[] stored = OrderEventCodec.encode(events);

    assertThat(OrderEventCodec.decode(stored)).isEqualTo(events);
    assertThat(stored.length).as("compact: far below a JSON row per event").isLessThan(events.size() * 40);
  }
}
