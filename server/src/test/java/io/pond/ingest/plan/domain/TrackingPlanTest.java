package io.pond.ingest.plan.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackingPlanTest {

  static TrackingPlan aPlan(boolean allowUnplannedEvents, boolean allowOtherProperties) {
    return new TrackingPlan(TrackingPlan.Mode.BLOCK, allowUnplannedEvents, Map.of(
        "Order Completed", new TrackingPlan.EventSpec("Order Completed", Map.of(
            "revenue", new TrackingPlan.PropertySpec(PropertyType.NUMBER, true),
            "items", new TrackingPlan.PropertySpec(PropertyType.INTEGER, false),
            "coupon", new TrackingPlan.PropertySpec(PropertyType.STRING, false)), allowOtherProperties)));
  }

  static Map<String, Object> props(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void a_record_that_follows_the_plan_has_no_violations() {
    assertThat(aPlan(false, false).check("Order Completed", props("revenue", 9.9, "items", 3, "coupon", "X"))).isEmpty();
  }

  @Test
  void an_unplanned_event_is_a_violation_unless_unplanned_events_are_allowed() {
    assertThat(aPlan(false, true).check("Signed Up", props()))
        .extracting(PlanViolation::kind, PlanViolation::field)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("unplanned_event", "event"));
    assertThat(aPlan(true, true).check("Signed Up", props())).isEmpty();
  }

  @Test
  void a_missing_required_property_a_wrong_type_and_an_unplanned_property_are_each_reported() {
    List<PlanViolation> found = aPlan(false, false).check("Order Completed", props("items", "three", "color", "red"));
    assertThat(found).extracting(PlanViolation::kind)
        .containsExactlyInAnyOrder("missing_property", "wrong_type", "unplanned_property");
    assertThat(found).extracting(PlanViolation::field)
        .containsExactlyInAnyOrder("properties.revenue", "properties.items", "properties.color");
  }

  @Test
  void a_null_value_counts_as_absent() {
    assertThat(aPlan(false, true).check("Order Completed", props("revenue", null)))
        .extracting(PlanViolation::kind).containsExactly("missing_property");
    assertThat(aPlan(false, true).check("Order Completed", props("revenue", 1, "coupon", null))).isEmpty();
  }

  @Test
  void other_properties_pass_when_the_event_allows_them() {
    assertThat(aPlan(false, true).check("Order Completed", props("revenue", 1, "color", "red"))).isEmpty();
  }

  @Test
  void integers_are_numbers_without_a_fraction_whatever_their_java_type() {
    qt().forAll(longs().all()).checkAssert(n -> {
      assertThat(PropertyType.INTEGER.matches(n)).isTrue();
      assertThat(PropertyType.NUMBER.matches(n)).isTrue();
      assertThat(PropertyType.STRING.matches(n)).isFalse();
    });
    qt().forAll(doubles().between(-1e12, 1e12)).checkAssert(d ->
        assertThat(PropertyType.INTEGER.matches(d)).isEqualTo(d == Math.floor(d)));
    assertThat(PropertyType.INTEGER.matches(new BigDecimal("3.0"))).isTrue();
    assertThat(PropertyType.INTEGER.matches(new BigDecimal("3.5"))).isFalse();
    assertThat(PropertyType.INTEGER.matches(2.5)).isFalse();
  }

  @Test
  void each_type_accepts_its_json_values_only() {
    assertThat(PropertyType.BOOLEAN.matches(true)).isTrue();
    assertThat(PropertyType.BOOLEAN.matches("true")).isFalse();
    assertThat(PropertyType.OBJECT.matches(Map.of())).isTrue();
    assertThat(PropertyType.OBJECT.matches(List.of())).isFalse();
    assertThat(PropertyType.ARRAY.matches(List.of(1))).isTrue();
    assertThat(PropertyType.ANY.matches("x")).isTrue();
    assertThat(PropertyType.fromWire("number")).isEqualTo(PropertyType.NUMBER);
    assertThat(PropertyType.fromWire("float")).isNull();
  }
}
