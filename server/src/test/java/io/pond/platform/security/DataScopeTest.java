package io.pond.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pond.platform.errors.PondException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataScopeTest {

  @Test
  void the_unrestricted_scope_permits_every_channel_and_lists_none() {
    DataScope all = DataScope.allChannels();
    assertThat(all.isRestricted()).isFalse();
    assertThat(all.permits("tmall")).isTrue();
    assertThat(all.permits("anything")).isTrue();
    assertThat(all.channels()).isEmpty();
  }

  @Test
  void a_restricted_scope_permits_only_its_channels_case_insensitively() {
    DataScope scope = DataScope.only(List.of("Tmall", "douyin", "tmall"));
    assertThat(scope.isRestricted()).isTrue();
    assertThat(scope.granted()).contains(Set.of("douyin", "tmall"));
    assertThat(scope.permits("TMALL")).isTrue();
    assertThat(scope.permits("wechat")).isFalse();
    assertThat(scope.permits(null)).isFalse();
  }

  @Test
  void a_channel_granted_under_one_spelling_is_granted_under_the_others() {
    DataScope scope = DataScope.only(List.of("tmall", "pos"));
    assertThat(scope.granted()).contains(Set.of("pos", "tmall"));
    assertThat(scope.channels()).contains(Set.of("native", "offline", "pos", "taobao", "tmall"));
    assertThat(scope.permits("taobao")).isTrue(); // commerce files Tmall orders under taobao
    assertThat(scope.permits("native")).isTrue();
    assertThat(scope.permits("jd")).isFalse();
    assertThat(SalesChannels.identifierTypes(scope)).containsExactly("member_no", "taobao_omid", "taobao_open_uid", "taobao_ouid");
    assertThat(SalesChannels.identifierTypes(DataScope.only(List.of("sms")))).isEmpty();
    assertThat(scope).isEqualTo(DataScope.only(List.of("pos", "tmall"))).isNotEqualTo(DataScope.only(List.of("taobao", "native")));
  }

  @Test
  void require_refuses_a_channel_outside_the_scope_with_forbidden_on_the_channel_field() {
    DataScope scope = DataScope.only(List.of("offline"));
    scope.require("offline");
    assertThatThrownBy(() -> scope.require("jd"))
        .isInstanceOfSatisfying(
            PondException.class,
            e -> {
              assertThat(e.code().wire()).isEqualTo("forbidden");
              assertThat(e.field()).isEqualTo("channel");
            });
  }

  @Test
  void filter_keeps_only_items_of_permitted_channels() {
    record Order(String id, String channel) {}
    var orders = List.of(new Order("a", "tmall"), new Order("b", "jd"), new Order("c", "douyin"));
    assertThat(DataScope.only(List.of("tmall", "douyin")).filter(orders.stream(), Order::channel).map(Order::id))
        .containsExactly("a", "c");
    assertThat(DataScope.allChannels().filter(orders.stream(), Order::channel)).hasSize(3);
  }

  @Test
  void an_empty_list_or_a_malformed_channel_is_a_validation_error_on_channels() {
    assertThatThrownBy(() -> DataScope.only(List.of()))
        .isInstanceOfSatisfying(PondException.class, e -> assertThat(e.field()).isEqualTo("channels"));
    assertThatThrownBy(() -> DataScope.only(List.of("tmall", "天猫")))
        .isInstanceOfSatisfying(PondException.class, e -> assertThat(e.getMessage()).contains("天猫"));
    assertThat(DataScope.ofNullable(null)).isEqualTo(DataScope.allChannels());
  }
}
