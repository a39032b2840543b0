package io.pond.commerce.order.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Any permutation or repetition of the same messages yields the same order. */
class OrderMergeProperties {

  @Property(tries = 300)
  void any_permutation_with_duplicates_of_a_message_sequence_yields_the_same_order(
      @ForAll("messages") @Size(min = 1, max = 12) List<OrderMessage> messages, @ForAll long seed) {
    CanonicalOrder reference = Orders.fold(messages);

    Random random = new Random(seed);
    List<OrderMessage> shuffled = new ArrayList<>(messages);
    int duplicates = random.nextInt(messages.size() + 1);
    for (int i = 0; i < duplicates; i++) {
      shuffled.add(messages.get(random.nextInt(messages.size())));
    }
    Collections.shuffle(shuffled, random);

    assertThat(Orders.fold(shuffled)).isEqualTo(reference);
  }

  @Property(tries = 200)
  void the_status_is_the_highest_ranked_status_seen(@ForAll("messages") @Size(min = 1, max = 12) List<OrderMessage> messages) {
    OrderStatus highest =
        messages.stream().map(OrderMessage::status).filter(java.util.Objects::nonNull).max(Enum::compareTo)
            .orElse(OrderStatus.CREATED);
    assertThat(Orders.fold(messages).status()).isEqualTo(highest);
  }

  @Provide
  Arbitrary<List<OrderMessage>> messages() {
    return message().list();
  }

  private Arbitrary<OrderMessage> message() {
    Arbitrary<Integer> minute = Arbitraries.integers().between(0, 20); // few distinct times: ties happen
    Arbitrary<OrderStatus> status = Arbitraries.of(OrderStatus.class).injectNull(0.3);
    Arbitrary<Long> fen = Arbitraries.longs().between(0, 3).map(x -> x * 1000).injectNull(0.4);
    Arbitrary<Integer> refund = Arbitraries.integers().between(0, 8); // 0..3 → no refund
    Arbitrary<Integer> lines = Arbitraries.integers().between(0, 2);
    return Combinators.combine(minute, status, fen, fen, refund, lines)
        .as((m, s, paid, shipping, r, l) -> {
          OrderMessage.Builder b = Orders.message(m).paidFen(paid).shippingFen(shipping);
          if (s != null) {
            b.status(s, "RAW_" + s + (m % 2));
          }
          if (s == OrderStatus.PAID) {
            b.paidAt(Orders.at(m));
          }
          if (r > 3) {
            RefundState state = RefundState.values()[r % RefundState.values().length];
            b.refund(new Refund("R" + (r % 2), "L1", state, 500L * (r % 3), Orders.at(m)));
          }
          if (l == 1) {
            b.lines(List.of(OrderLine.of("L1", "SKU-1", "洁面乳", null, 1, 1000 + m)));
          } else if (l == 2) {
            b.buyer(io.pond.platform.Identifier.global("youzan_open_id", "buyer-" + (m % 3)));
          }
          return b.build();
        });
  }
}
