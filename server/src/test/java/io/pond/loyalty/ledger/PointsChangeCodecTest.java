package io.pond.loyalty.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.loyalty.PersonRef;
import io.pond.loyalty.PointsActivated;
import io.pond.loyalty.PointsChange;
import io.pond.loyalty.PointsClawedBack;
import io.pond.loyalty.PointsEarned;
import io.pond.loyalty.PointsExpired;
import io.pond.loyalty.PointsRedeemed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointsChangeCodecTest {

  @Test
  void every_points_event_comes_back_as_it_was_stored_in_order() {
    Instant at = Instant.parse("2026-11-23T03:04:05.123456789Z");
    List<PointsChange> changes =
        List.of(
            new PointsEarned("vip", new PersonRef(7), 11, 100, true, "order_paid", "flagship/A-1", at),
            new PointsEarned("vip", new PersonRef(8), 12, 10, false, "review", null, at),
            new PointsActivated("vip", new PersonRef(7), 13, 100, "tmall/flagship/A-1", at),
            new PointsRedeemed("vip", new PersonRef(7), 14, 30, "7/积分商城-1", at),
            new PointsClawedBack("vip", new PersonRef(7), 15, 20, 5, 25, "tmall/flagship/A-1", at),
            new PointsExpired("other", new PersonRef(Integer.MAX_VALUE), 16, 50, at));
    assertThat(PointsChangeCodec.decode(PointsChangeCodec.encode(changes))).isEqualTo(changes);
  }
}
