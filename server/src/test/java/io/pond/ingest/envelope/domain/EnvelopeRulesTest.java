package io.pond.ingest.envelope.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.platform.Identifier;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol-independent rules of the envelope: clock skew, identifier names, Sensors property rules. */
class EnvelopeRulesTest {

  static final Instant RECEIVED = Instant.parse("2026-05-01T12:00:00Z");

  @Test
  void a_device_clock_that_is_off_is_corrected_by_the_send_delay() {
    Instant original = Instant.parse("2031-01-01T00:00:00Z");
    Instant sentAt = Instant.parse("2031-01-01T00:00:30Z");
    assertThat(ClockSkew.corrected(original, sentAt, RECEIVED)).isEqualTo(RECEIVED.minusSeconds(30));
  }

  @Test
  void without_a_send_time_the_client_time_is_kept_and_without_any_time_receipt_is_used() {
    Instant original = Instant.parse("2026-04-30T08:00:00Z");
    assertThat(ClockSkew.corrected(original, null, RECEIVED)).isEqualTo(original);
    assertThat(ClockSkew.corrected(null, RECEIVED.minusSeconds(3), RECEIVED)).isEqualTo(RECEIVED);
  }

  @Test
  void sensors_identity_keys_map_onto_pond_identifier_types() {
    assertThat(IdentifierNames.sensorsIdentity("$identity_login_id", "u1")).contains(Identifier.global("login_id", "u1"));
    assertThat(IdentifierNames.sensorsIdentity("$identity_mobile", "138")).contains(Identifier.global("phone", "138"));
    assertThat(IdentifierNames.sensorsIdentity("$identity_email", "a@b.c")).contains(Identifier.global("email", "a@b.c"));
    assertThat(IdentifierNames.sensorsIdentity("$identity_cookie_id", "c")).contains(Identifier.global("cookie_id", "c"));
    assertThat(IdentifierNames.sensorsIdentity("$identity_mp_unionid", "un")).contains(Identifier.global("wechat_unionid", "un"));
    assertThat(IdentifierNames.sensorsIdentity("$identity_mp_openid", "o")).contains(Identifier.global("wechat_openid", "o"));
    assertThat(IdentifierNames.sensorsIdentity("$identity_mp_wx1234abcd_openid", "o"))
        .contains(Identifier.scoped("wechat_openid", "wx1234abcd", "o"));
    assertThat(IdentifierNames.sensorsIdentity("member_card", "m1")).contains(Identifier.global("member_card", "m1"));
    assertThat(IdentifierNames.sensorsIdentity("$identity_made_up", "x")).isEmpty();
  }

  @Test
  void a_login_id_that_is_a_mainland_mobile_number_is_the_persons_phone() {
    for (String phone : List.of("13800138000", "+8619912345678", "8615012345678", "008617712345678")) {
      assertThat(IdentifierNames.segmentUserId(phone)).as(phone).isEqualTo(Identifier.global("phone", phone));
      assertThat(IdentifierNames.sensorsDistinctId(phone, true)).isEqualTo(Identifier.global("phone", phone));
      assertThat(IdentifierNames.sensorsIdentity("$identity_login_id", phone)).contains(Identifier.global("phone", phone));
      assertThat(IdentifierNames.segmentExternalId("user_id", phone, "users")).isEqualTo(Identifier.global("phone", phone));
      assertThat(IdentifierNames.sensorsDistinctId(phone, false)).as("an anonymous id stays one")
          .isEqualTo(Identifier.global("anonymous_id", phone));
    }
    for (String login : List.of("u-42", "12345678901", "138001380001", "1380013800", "+12025550123", "138 0013 8000", "")) {
      assertThat(IdentifierNames.segmentUserId(login)).as(login).isEqualTo(Identifier.global("login_id", login));
      assertThat(IdentifierNames.sensorsIdentity("$identity_login_id", login)).contains(Identifier.global("login_id", login));
    }
  }

  @Test
  void segment_external_ids_map_well_known_types_and_scope_openids_by_collection() {
    assertThat(IdentifierNames.segmentExternalId("email", "a@b.c", "users")).isEqualTo(Identifier.global("email", "a@b.c"));
    assertThat(IdentifierNames.segmentExternalId("openid", "o1", "wx99")).isEqualTo(Identifier.scoped("wechat_openid", "wx99", "o1"));
    assertThat(IdentifierNames.segmentExternalId("Taobao_Ouid", "t1", "shop")).isEqualTo(Identifier.global("taobao_ouid", "t1"));
  }

  @Test
  void sensors_property_rules_refuse_bad_keys_reserved_names_and_nested_values() {
    assertThat(SensorsPropertyRules.check(Map.of("$os", "iOS", "price", 3, "tags", List.of("a", "b")))).isEmpty();
    assertThat(SensorsPropertyRules.check(Map.of("1abc", 1))).get().extracting(Rejection::field).isEqualTo("properties.1abc");
    assertThat(SensorsPropertyRules.check(Map.of("time", 1))).get().extracting(Rejection::detail).asString().contains("reserved");
    assertThat(SensorsPropertyRules.check(Map.of("nested", Map.of("a", 1)))).get().extracting(Rejection::reason)
        .isEqualTo(Rejection.INVALID_PROPERTY);
    assertThat(SensorsPropertyRules.check(Map.of("list", List.of(1, 2)))).isPresent();
    assertThat(SensorsPropertyRules.checkId("distinct_id", "x".repeat(256))).isPresent();
    assertThat(SensorsPropertyRules.checkId("distinct_id", "x".repeat(255))).isEmpty();
  }

  @Test
  void an_event_over_32_kb_is_refused_as_too_large() {
    assertThat(IngestLimits.SEGMENT.checkEvent(32 * 1024)).isEmpty();
    assertThat(IngestLimits.SEGMENT.checkEvent(32 * 1024 + 1)).get().extracting(Rejection::reason).isEqualTo(Rejection.TOO_LARGE);
  }
}
