package io.pond.profile.person;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.profile.ProfileChangeBatches;
import io.pond.profile.ProfileChanged;
import io.pond.profile.ProfilesChanged;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionTemplate;

/** Changes made together go out as one {@link ProfilesChanged} whose stored batch holds them all, in order. */
@SpringBootTest
class ChangeBatchesTest {

  static class Recorder {
    final List<Object> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void on(ProfileChanged e) {
      seen.add(e);
    }

    @EventListener
    void on(ProfilesChanged e) {
      seen.add(e);
    }
  }

  @TestConfiguration
  static class Config {
    @Bean
    Recorder recorder() {
      return new Recorder();
    }
  }

  @Autowired ProfileEvents events;
  @Autowired ProfileChangeBatches batches;
  @Autowired TransactionTemplate tx;
  @Autowired Recorder recorder;

  @BeforeEach
  void clear() {
    recorder.seen.clear();
  }

  @Test
  void changes_made_together_are_one_event_and_one_stored_batch() {
    tx.executeWithoutResult(s -> events.together(() -> {
      events.changed(11, Map.of("city", "上海"), null, null);
      events.changed(12, null, Map.of("spend_fen", 12_345L), null);
      events.changed(11, null, null, Map.of("sms", false));
      events.changed(13, Map.of(), Map.of(), Map.of()); // nothing changed: not part of the batch
    }));

    assertThat(recorder.seen).hasSize(1).first().isInstanceOf(ProfilesChanged.class);
    ProfilesChanged announced = (ProfilesChanged) recorder.seen.getFirst();
    assertThat(announced.changes()).isEqualTo(3);
    List<ProfileChanged> stored = batches.changes(announced.batchId());
    assertThat(stored).extracting(ProfileChanged::personId).containsExactly(11, 12, 11);
    assertThat(stored.get(0).traits()).containsEntry("city", "上海");
    assertThat(stored.get(1).metrics()).containsEntry("spend_fen", 12_345L);
    assertThat(stored.get(2).consents()).containsEntry("sms", false);
    assertThat(batches.changes(announced.batchId() + 1_000)).isEmpty();
  }

  @Test
  void a_single_change_and_a_change_outside_together_are_plain_profile_changed() {
    tx.executeWithoutResult(s -> events.together(() -> events.changed(21, Map.of("gender", "female"), null, null)));
    tx.executeWithoutResult(s -> events.changed(22, Map.of("gender", "male"), null, null));
    assertThat(recorder.seen).hasSize(2).allMatch(ProfileChanged.class::isInstance);
    assertThat(recorder.seen).extracting(e -> ((ProfileChanged) e).personId()).containsExactly(21, 22);
  }
}
