package io.pond.commerce.order.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  @ParameterizedTest(name = "{0} yuan = {1} fen")
  @CsvSource({"120.00, 12000", "120, 12000", "120.5, 12050", "0.01, 1", "0, 0", "'¥1,299.00', 129900", "59.9元, 5990", "007.10, 710"})
  void yuan_strings_become_fen_exactly(String yuan, long fen) {
    assertThat(Money.yuanToFen(yuan)).isEqualTo(fen);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1.00", "1.005", "abc", "1O8.00", "", "."})
  void negative_fractional_fen_and_non_numbers_are_refused(String yuan) {
    assertThatThrownBy(() -> Money.yuanToFen(yuan)).isInstanceOf(IllegalArgumentException.class);
  }
}
