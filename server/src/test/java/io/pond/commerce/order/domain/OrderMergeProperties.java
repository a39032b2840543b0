package io.pond.commerce.order.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Any permutation or repetition of the same messages yields the same order. */
class OrderMergeProperties {

  @Test
  void any_permutation_with_duplicates_of_a_message_sequence_yields_the_same_order() {
    qt().withExamples(300).forAll(messages(), longs().all()).checkAssert(OrderMergeProperties::sameOrderWhateverTheOrder);
  }

  private static void sameOrderWhateverTheOrder(List<OrderMessage> messages, long seed) {
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

  @Test
  void the_status_is_the_highest_ranked_status_seen() {
    qt().withExamples(200).forAll(messages()).checkAssert(OrderMergeProperties::statusIsTheHighestSeen);
  }

  private static void statusIsTheHighestSeen(List<OrderMessage> messages) {
    OrderStatus highest =
        messages.stream().map(OrderMessage::status).filter(java.util.Objects::nonNull).max(Enum::compareTo)
            .orElse(OrderStatus.CREATED);
    assertThat(Orders.fold(messages).status()).isEqualTo(highest);
  }

  private static Gen<List<OrderMessage>> messages() {
    return lists().of(message()).ofSizeBetween(1, 12);
  }

  private static Gen<OrderMessage> message() {
    OrderStatus[] statuses = OrderStatus.values();
    Gen<Integer> minute = integers().between(0, 20); // few distinct times: ties happen
    Gen<Integer> status = integers().between(-statuses.length / 2, statuses.length - 1); // negative: no status
    Gen<Long> fen = integers().between(-2, 3).map(x -> x < 0 ? null : x * 1000L); // about a third: no amount
    Gen<Integer> refund = integers().between(0, 8); // 0..3 → no refund
    Gen<Integer> lines = integers().between(0, 2);
    Gen<int[]> minuteAndStatus = minute.zip(status, (m, s) -> new int[] {m, s});
    return minuteAndStatus.zip(fen, fen, refund, lines, (ms, paid, shipping, r, l) -> {
          int m = ms[0];
          OrderStatus s = ms[1] < 0 ? null : statuses[ms[1]];
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
