package io.pond.identity.types.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.platform.Identifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierRulesTest {

  final IdentifierRules rules = new IdentifierRules(BuiltInTypes.ALL, v -> "hash(" + v + ")");

  String refusal(Identifier id) {
    return rules.check(id) instanceof IdentifierRules.Refused r ? r.reason() : null;
  }

  PreparedIdentifier accepted(Identifier id) {
    return ((IdentifierRules.Accepted) rules.check(id)).identifier();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "null", "NULL", "0", "-1", "anonymous", "undefined", "(null)", "00000000",
      "00000000-0000-0000-0000-000000000000", "187****8991", "xxxx"})
  void placeholder_values_are_junk_for_every_type(String value) {
    assertThat(refusal(Identifier.global(Identifier.DEVICE_ID, value))).isEqualTo("junk_value");
    assertThat(refusal(Identifier.global(Identifier.LOGIN_ID, value))).isEqualTo("junk_value");
  }

  @Test
  void the_cheap_pre_test_never_lets_common_junk_through() {
    java.util.regex.Pattern common = new JunkValues().common();
    java.util.SplittableRandom random = new java.util.SplittableRandom(4);
    String alphabet = "aAnNuUtTdDfFgG01-:.*() [/]xX9oObjectlsmy\u00e9";
    java.util.List<String> values = new java.util.ArrayList<>(java.util.List.of("", " ", "\t", "null", "NULL", "Nil", "none",
        "undefined", "unknown", "anonymous", "Guest", "test", "default", "n/a", "na", "(null)", "[object Object]", "false", "TRUE",
        "nan", "NaN", "N/A", "NA", "[OBJECT OBJECT]", "(NULL)", "UnDeFiNeD", "0", "-1", "-000.00", "00000000", "0000-00:00", "XXXX", "zzz", "187****8991", "a**", "**", "\u00e9\u00e9\u00e9"));
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = random.nextInt(9); n > 0; n--) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      values.add(b.toString());
    }
    int junk = 0;
    for (String v : values) {
      if (common.matcher(v.toLowerCase(java.util.Locale.ROOT)).matches()) {
        junk++;
        assertThat(JunkValues.mayBeCommonJunk(v)).as(v).isTrue();
      }
    }
    assertThat(junk).isGreaterThan(1000);
    assertThat(JunkValues.mayBeCommonJunk("a12345")).isFalse();
    assertThat(JunkValues.mayBeCommonJunk("user-42")).isFalse();
    assertThat(JunkValues.mayBeCommonJunk("d4c1e0a2-77aa-4b1e-9f00-1a2b3c4d5e6f")).isFalse();
    assertThat(JunkValues.mayBeCommonJunk("Anonymous")).isTrue();
  }

  @Test
  void masked_and_all_same_phones_are_junk() {
    assertThat(refusal(Identifier.global(Identifier.PHONE, "187****8991"))).isEqualTo("junk_value");
    assertThat(refusal(Identifier.global(Identifier.PHONE, "+86 111 1111 1111"))).isEqualTo("junk_value");
    assertThat(refusal(Identifier.global(Identifier.PHONE, "12345"))).isEqualTo("invalid_phone");
  }

  @Test
  void a_chinese_mobile_becomes_e164_and_is_matched_by_its_hash_only() {
    PreparedIdentifier p = accepted(Identifier.global(Identifier.PHONE, "138-0013-8000"));
    assertThat(p.value()).isEqualTo("+8613800138000");
    assertThat(p.key()).isEqualTo("phone\u001f\u001fh:hash(+8613800138000)").doesNotContain("13800138000)x");
    assertThat(accepted(Identifier.global(Identifier.PHONE, "+86 13800138000")).key()).isEqualTo(p.key());
    assertThat(accepted(Identifier.global(Identifier.PHONE, "008613800138000")).key()).isEqualTo(p.key());
    assertThat(accepted(Identifier.global(Identifier.PHONE, "+1 (415) 555-2671")).value()).isEqualTo("+14155552671");
  }

  @Test
  void emails_are_lower_cased_and_must_look_like_emails() {
    assertThat(accepted(Identifier.global(Identifier.EMAIL, " Alice@Example.COM ")).value()).isEqualTo("alice@example.com");
    assertThat(refusal(Identifier.global(Identifier.EMAIL, "alice-at-example"))).isEqualTo("invalid_email");
  }

  @Test
  void scoped_types_need_a_scope_and_global_types_drop_it() {
    assertThat(refusal(Identifier.global(Identifier.WECHAT_OPENID, "oXyZ123"))).isEqualTo("scope_required");
    assertThat(accepted(Identifier.scoped(Identifier.WECHAT_OPENID, "wx123", "oXyZ123")).key())
        .isEqualTo("wechat_openid\u001fwx123\u001foXyZ123");
    assertThat(accepted(Identifier.scoped(Identifier.LOGIN_ID, "ignored", "alice")).scope()).isEmpty();
  }

  @Test
  void unknown_types_and_control_characters_are_refused() {
    assertThat(refusal(Identifier.global("oaid", "abc"))).isEqualTo("unknown_type");
    assertThat(refusal(Identifier.global(Identifier.LOGIN_ID, "al\u001fice"))).isEqualTo("control_characters");
  }

  @Test
  void a_brand_pattern_adds_to_the_common_junk_values() {
    IdentifierType memberNo = new IdentifierType("member_no", ScopeKind.GLOBAL, Strength.STRONG, 95, 1, 0,
        java.util.List.of("tmp-.*"), PiiKind.NONE, 2, true);
    IdentifierRules custom = new IdentifierRules(java.util.List.of(memberNo), v -> v);
    assertThat(custom.check(Identifier.global("member_no", "TMP-123"))).isInstanceOf(IdentifierRules.Refused.class);
    assertThat(custom.check(Identifier.global("member_no", "M123"))).isInstanceOf(IdentifierRules.Accepted.class);
    assertThat(custom.recheck("member_no\u001f\u001ftmp-9")).isNull();
  }
}
