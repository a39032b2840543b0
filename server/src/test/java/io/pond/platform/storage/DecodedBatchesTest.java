package io.pond.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodedBatchesTest {

  private final List<Long> reads = new ArrayList<>();

  private List<String> read(long id) {
    reads.add(id);
    return id < 0 ? List.of() : new ArrayList<>(List.of("batch " + id));
  }

  @Test
  void a_batch_is_read_once_while_kept_and_again_after_it_was_dropped() {
    DecodedBatches<String> batches = new DecodedBatches<>(2);
    assertThat(batches.get(1, this::read)).containsExactly("batch 1");
    assertThat(batches.get(1, this::read)).containsExactly("batch 1");
    batches.get(2, this::read);
    batches.get(1, this::read); // 1 is now the most recently read: 2 is dropped next
    batches.get(3, this::read);
    batches.get(1, this::read);
    batches.get(2, this::read);
    assertThat(reads).containsExactly(1L, 2L, 3L, 2L);
  }

  @Test
  void an_unknown_batch_is_not_kept_it_may_be_one_not_committed_yet() {
    DecodedBatches<String> batches = new DecodedBatches<>(2);
    assertThat(batches.get(-1, this::read)).isEmpty();
    assertThat(batches.get(-1, this::read)).isEmpty();
    assertThat(reads).containsExactly(-1L, -1L);
  }

  @Test
  void kept_batches_cannot_be_changed_by_a_reader_and_clear_forgets_them() {
    DecodedBatches<String> batches = new DecodedBatches<>(2);
    assertThatThrownBy(() -> batches.get(1, this::read).add("x")).isInstanceOf(UnsupportedOperationException.class);
    batches.clear();
    assertThat(batches.get(1, this::read)).containsExactly("batch 1");
    assertThat(reads).containsExactly(1L, 1L);
  }
}
