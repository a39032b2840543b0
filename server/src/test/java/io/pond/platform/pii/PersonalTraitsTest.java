package io.pond.platform.pii;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PersonalTraitsTest {

  private final PersonalTraits defaults = PersonalTraits.of(PersonalTraits.DEFAULTS);

  @Test
  void oneNameWhateverItsCaseAndSeparators() {
    for (String k : List.of("first_name", "firstName", "First-Name", "FIRSTNAME", "$phone", "Phone", "e.mail", "email_Address",
        "lastName", "idCard", "ID_NUMBER", "cellPhone")) {
      assertThat(defaults.matches(k)).as(k).isTrue();
    }
    for (String k : List.of("sku", "category", "firstname_length", "phones", "tele", "hotel", "namespace", "nickname", "city")) {
      assertThat(defaults.matches(k)).as(k).isFalse();
    }
  }

  @Test
  void suffixNamesMatchKeysEndingWithThem() {
    for (String k : List.of("receiver_phone", "buyerMobile", "contact_email", "shipping_phone_number", "收货人手机号", "联系电话",
        "紧急联系人手机", "买家邮箱")) {
      assertThat(defaults.matches(k)).as(k).isTrue();
    }
    assertThat(defaults.matches("phone_brand")).as("ends with brand").isFalse();
    PersonalTraits own = PersonalTraits.of(List.of("*vip_code", "nick"));
    assertThat(own.matches("member-VIP-code")).isTrue();
    assertThat(own.matches("phone")).as("the setting replaces the defaults").isFalse();
    assertThat(own.matches("NICK")).isTrue();
  }

  @Test
  void nameIsPersonalOnlyAtTheTopLevel() {
    assertThat(defaults.matches("name", false)).isTrue();
    assertThat(defaults.matches("Name", true)).as("a product's or a store's name").isFalse();
    assertThat(defaults.matches("phone", true)).isTrue();
    assertThat(defaults.matches("receiver_name", true)).isFalse();
    byte[] name = "Name".getBytes(UTF_8);
    assertThat(defaults.matches(name, 0, name.length, true)).isFalse();
    assertThat(defaults.matches(name, 0, name.length, false)).isTrue();
  }

  /** The bytes of a key answer what its text does, for random keys made of the names' pieces. */
  @Test
  void bytesMatchAsText() {
    String[] pieces = {"phone", "Name", "_", "-", "$", ".", " ", "e", "mail", "手机", "号", "FIRST", "x", "tel", "mobile", "码"};
    Random r = new Random(5);
    int matched = 0;
    for (int i = 0; i < 20000; i++) {
      StringBuilder k = new StringBuilder();
      int n = 1 + r.nextInt(4);
      for (int j = 0; j < n; j++) {
        k.append(pieces[r.nextInt(pieces.length)]);
      }
      byte[] b = ("\"" + k + "\"").getBytes(UTF_8);
      boolean nested = r.nextBoolean();
      boolean expected = defaults.matches(k.toString(), nested);
      matched += expected ? 1 : 0;
      assertThat(defaults.matches(b, 1, b.length - 2, nested)).as(k + (nested ? " (nested)" : "")).isEqualTo(expected);
    }
    assertThat(matched).isBetween(2000, 18000);
  }
}
