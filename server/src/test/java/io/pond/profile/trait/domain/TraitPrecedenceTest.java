package io.pond.profile.trait.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraitPrecedenceTest {

  static final TraitPrecedence RULES = new TraitPrecedence(List.of("operator", "member", "crm_import", "channel", "event"));
  static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

  static TraitWrite write(String value, String source, int seconds) {
    return new TraitWrite("city", value, source, T0.plusSeconds(seconds));
  }

  @Test
  void a_lower_source_never_overwrites_a_higher_one_even_when_newer() {
    TraitState byOperator = TraitState.of(write("上海", "operator", 0));
    assertThat(RULES.decide(byOperator, write("北京", "event", 3600)))
        .isEqualTo(new TraitPrecedence.Decision.Refused("lower_precedence:operator"));
    assertThat(RULES.decide(byOperator, write(null, "channel", 3600)))
        .isInstanceOf(TraitPrecedence.Decision.Refused.class);
  }

  @Test
  void a_higher_source_overwrites_whatever_the_times() {
    TraitState byEvent = TraitState.of(write("北京", "event", 3600));
    assertThat(RULES.decide(byEvent, write("上海", "member", 0)))
        .isEqualTo(new TraitPrecedence.Decision.Applied(TraitState.of(write("上海", "member", 0))));
  }

  @Test
  void within_one_source_the_newer_observation_wins_and_an_older_one_changes_nothing() {
    TraitState current = TraitState.of(write("北京", "channel", 100));
    assertThat(RULES.decide(current, write("上海", "channel", 101))).isInstanceOf(TraitPrecedence.Decision.Applied.class);
    assertThat(RULES.decide(current, write("上海", "channel", 99)))
        .isEqualTo(new TraitPrecedence.Decision.Refused("not_newer"));
    assertThat(RULES.decide(current, write("上海", "channel", 100)))
        .isEqualTo(new TraitPrecedence.Decision.Refused("not_newer"));
  }

  @Test
  void an_unknown_source_is_refused_with_a_reason() {
    assertThat(RULES.decide(null, write("x", "guess", 0))).isEqualTo(new TraitPrecedence.Decision.Refused("unknown_source"));
  }

  @Test
  void a_removal_by_a_higher_source_keeps_lower_sources_from_setting_the_trait_again() {
    TraitState removed = ((TraitPrecedence.Decision.Applied) RULES.decide(null, write(null, "operator", 0))).next();
    assertThat(removed.removed()).isTrue();
    assertThat(RULES.decide(removed, write("北京", "event", 60))).isInstanceOf(TraitPrecedence.Decision.Refused.class);
  }

  @Test
  void a_bad_source_list_is_refused_naming_the_problem() {
    assertThatThrownBy(() -> new TraitPrecedence(List.of("operator", "operator"))).hasMessageContaining("twice");
    assertThatThrownBy(() -> new TraitPrecedence(List.of("Operator"))).hasMessageContaining("not a source name");
    assertThatThrownBy(() -> new TraitPrecedence(List.of())).hasMessageContaining("at least one");
  }

  /** The winner is the write with the highest (source rank, time): arrival order does not matter. */
  @Test
  void the_order_writes_arrive_in_does_not_change_the_result() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 4 * 1000 + 999)).ofSizeBetween(1, 12), integers().all())
        .checkAssert((codes, seed) -> {
          List<TraitWrite> writes = new ArrayList<>();
          java.util.Set<Integer> seen = new java.util.HashSet<>();
          for (int code : codes) {
            if (seen.add(code)) { // distinct (source, time): exact ties are broken by arrival, by design
              int source = code / 1000;
              int time = code % 1000;
              writes.add(write(time % 7 == 0 ? null : "v" + code, RULES.sources().get(source), time));
            }
          }
          Map<String, TraitState> inOrder = RULES.fold(writes);
          List<TraitWrite> shuffled = new ArrayList<>(writes);
          Collections.shuffle(shuffled, new Random(seed));
          Map<String, TraitState> anyOrder = RULES.fold(shuffled);
          assertThat(anyOrder).isEqualTo(inOrder);
        });
  }
}
