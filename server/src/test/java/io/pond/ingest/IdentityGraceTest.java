package io.pond.ingest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pond.platform.Identifier;
import io.pond.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A consumer waits for identity from when it first meets an event, however long ago the event arrived. */
class IdentityGraceTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"), java.time.ZoneOffset.UTC);
  final IdentityGrace grace = new IdentityGrace(clock, Duration.ofSeconds(30));

  @Test
  void an_event_that_arrived_long_ago_still_waits_for_identity_when_first_met() {
    EventEnvelope old = event(7, clock.instant().minus(Duration.ofMinutes(5))); // a bulk load's backlog
    assertThatThrownBy(() -> grace.notAttributed(old)).isInstanceOf(EventLogConsumer.NotYet.class);
    clock.advance(Duration.ofSeconds(29));
    assertThatThrownBy(() -> grace.notAttributed(old)).isInstanceOf(EventLogConsumer.NotYet.class);
    clock.advance(Duration.ofSeconds(1));
    assertThatCode(() -> grace.notAttributed(old)).doesNotThrowAnyException(); // given up
  }

  @Test
  void an_event_attributed_while_waiting_gets_a_new_grace_if_it_is_ever_met_unattributed_again() {
    EventEnvelope e = event(8, clock.instant());
    assertThatThrownBy(() -> grace.notAttributed(e)).isInstanceOf(EventLogConsumer.NotYet.class);
    clock.advance(Duration.ofSeconds(40));
    grace.attributed(e);
    assertThatThrownBy(() -> grace.notAttributed(e)).isInstanceOf(EventLogConsumer.NotYet.class);
  }

  private static EventEnvelope event(long offset, Instant receivedAt) {
    return new EventEnvelope(offset, 1, "m-" + offset, "segment", "track", "viewed", receivedAt, receivedAt,
        List.of(Identifier.global("login_id", "u-" + offset)), LinkKind.TOGETHER, null, null, null, null);
  }
}
