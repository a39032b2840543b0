package io.pond.ingest.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pond.platform.pii.PersonalTraits;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Raw objects are kept only when their bytes are exactly what the mapper writes for the parsed
 * value, and they read as that value.
 */
class CanonicalJsonTest {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final String[] TEXTS = {"a", "", "中文", "😀 é", "q\"uo\\te", "t\tn\nr\rb\bf\f", "\u0001\u001f\u007f",
      "/slash", "\u2028", "ü"};

  @Test
  void whatTheMapperWritesIsKeptAsIs() {
    for (JsonMapper json : List.of(JsonColumnsTest.PLAIN, JsonColumnsTest.NON_NULL)) {
      CanonicalJson canonical = CanonicalJson.of(json);
      Random r = new Random(7);
      int kept = 0;
      for (int n = 0; n < 2000; n++) {
        Map<String, Object> value = object(r, 3);
        byte[] bytes = json.writeValueAsBytes(value);
        Object parsed = json.readValue(bytes, MAP);
        byte[] again = json.writeValueAsBytes(parsed);
        RawJsonObject raw = canonical.object(bytes, 0, bytes.length);
        if (java.util.Arrays.equals(bytes, again) && !hasNull(parsed, json == JsonColumnsTest.NON_NULL)) {
          assertThat(raw).as(new String(bytes, UTF_8)).isNotNull();
        }
        if (raw != null) {
          kept++;
          assertThat(again).as(new String(bytes, UTF_8)).isEqualTo(bytes);
          assertThat((Object) raw).isEqualTo(parsed);
        }
      }
      assertThat(kept).isGreaterThan(1500);
    }
  }

  @Test
  void anythingElseIsParsed() {
    JsonMapper json = JsonColumnsTest.PLAIN;
    CanonicalJson canonical = CanonicalJson.of(json);
    List<String> notCanonical = List.of(
        "{ }", "{\"a\": 1}", "{\"a\":1 }", "{\"a\":\"\\/\"}", "{\"a\":\"\\u00e9\"}", "{\"a\":\"\\u001f\"}",
        "{\"a\":\"\\u000A\"}", "{\"a\":1e10}", "{\"a\":1.0e10}", "{\"a\":1.50}", "{\"a\":-0}", "{\"a\":0.0001}",
        "{\"a\":12345678.0}", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "{\"a\":01}", "{\"a\":+1}",
        "{\"a\":.5}", "{\"a\":1.}", "{\"a\":\"\u0001\"}", "{\"a\":tru}", "{\"a\":1,}", "{\"a\":[1,]}",
        "{\"a\":\"x}", "{\"a\"}", "[1]", "{\"a\":0.12345678901234567}", "{\"a\":1E+2}");
    for (String text : notCanonical) {
      byte[] b = text.getBytes(UTF_8);
      assertThat(canonical.object(b, 0, b.length)).as(text).isNull();
    }
    // bad UTF-8: overlong, encoded surrogate, truncated
    for (byte[] bad : List.of(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'},
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE4, (byte) 0xB8, '"', '}'})) {
      assertThat(canonical.object(bad, 0, bad.length)).isNull();
    }
    List<String> canonicalTexts = List.of("{}", "{\"a\":1.0E10}", "{\"a\":-0.0}", "{\"a\":0.001}", "{\"a\":1.0E-4}",
        "{\"a\":1234567.0}", "{\"a\":1.2345678E7}", "{\"a\":\"\\u001F\\b\"}", "{\"a\":[null,{}]}",
        "{\"a\":{\"a\":{\"a\":1}}}", "{\"a\":-9223372036854775808,\"b\":123456789012345678901234567890}",
        "{\"a\":0.1,\"b\":19.9,\"c\":-3.14159}");
    for (String text : canonicalTexts) {
      byte[] b = text.getBytes(UTF_8);
      assertThat(canonical.object(b, 0, b.length)).as(text).isNotNull();
      assertThat(json.writeValueAsString(json.readValue(b, MAP))).isEqualTo(text);
    }
    byte[] nulls = "{\"a\":null}".getBytes(UTF_8);
    assertThat(canonical.object(nulls, 0, nulls.length)).isNotNull();
    assertThat(CanonicalJson.of(JsonColumnsTest.NON_NULL).object(nulls, 0, nulls.length)).isNull();
  }

  @Test
  void mutatedBytesAreKeptOnlyWhenStillCanonical() {
    JsonMapper json = JsonColumnsTest.PLAIN;
    CanonicalJson canonical = CanonicalJson.of(json);
    Random r = new Random(11);
    byte[] alphabet = " \t{}[]:,\"\\/-+.0123456789eEabfnrtu".getBytes(UTF_8);
    for (int n = 0; n < 5000; n++) {
      byte[] b = json.writeValueAsBytes(object(r, 2));
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits && b.length > 2; e++) {
        b[1 + r.nextInt(b.length - 2)] = alphabet[r.nextInt(alphabet.length)];
      }
      RawJsonObject raw = canonical.object(b, 0, b.length);
      if (raw != null) {
        assertThat(json.writeValueAsBytes(json.readValue(b, MAP))).as(new String(b, UTF_8)).isEqualTo(b);
      }
    }
  }

  @Test
  void aRawObjectReadsAsItsValueAndIsWrittenAsBytesUntilChanged() {
    JsonMapper json = JsonColumnsTest.PLAIN;
    byte[] b = "xx{\"sku\":\"S\",\"n\":{\"k\":[1]},\"p\":19.9}yy".getBytes(UTF_8);
    RawJsonObject raw = CanonicalJson.of(json).object(b, 2, b.length - 2);
    assertThat(raw.isEmpty()).isFalse();
    assertThat(raw.get("missing")).isNull();
    assertThat(raw.containsKey("k")).isFalse(); // nested keys are not top-level keys
    assertThat(raw.get("sku")).isEqualTo("S");
    assertThat(raw.isRaw()).isTrue();
    assertThat(raw.raw()).isEqualTo("{\"sku\":\"S\",\"n\":{\"k\":[1]},\"p\":19.9}".getBytes(UTF_8));
    assertThat(JsonColumns.of(json).direct()).isTrue();
    LogFrames.Writer w = new LogFrames.Writer(16);
    int n = JsonColumns.of(json).write(w, raw);
    assertThat(new String(w.buffer(), w.position() - n, n, UTF_8)).isEqualTo("{\"sku\":\"S\",\"n\":{\"k\":[1]},\"p\":19.9}");
    raw.put("groupId", "g");
    assertThat(raw.isRaw()).isFalse();
    w = new LogFrames.Writer(16);
    n = JsonColumns.of(json).write(w, raw);
    assertThat(new String(w.buffer(), w.position() - n, n, UTF_8))
        .isEqualTo("{\"sku\":\"S\",\"n\":{\"k\":[1]},\"p\":19.9,\"groupId\":\"g\"}");

    RawJsonObject nested = CanonicalJson.of(json).object(b, 2, b.length - 2);
    @SuppressWarnings("unchecked")
    Map<String, Object> inner = (Map<String, Object>) nested.get("n");
    assertThat(nested.isRaw()).isFalse(); // the caller holds a container it could change
    inner.put("x", 1);
    assertThat(json.writeValueAsString(nested)).contains("\"x\":1");
    byte[] empty = "{}".getBytes(UTF_8);
    assertThat(CanonicalJson.of(json).object(empty, 0, 2).isEmpty()).isTrue();
  }

  @Test
  void topLevelKeysAreFoundByTheirBytes() {
    byte[] b = "{\"a\":{\"externalIds\":1},\"b\":\"externalIds\",\"e\\n\":[{\"c\":2}],\"externalIds\":[]}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasTopLevelKey(b, 0, b.length, "externalIds")).isTrue();
    assertThat(CanonicalJson.hasTopLevelKey(b, 0, b.length, "c")).isFalse();
    assertThat(CanonicalJson.hasTopLevelKey(b, 0, b.length, "e\n")).isTrue();
    assertThat(CanonicalJson.hasTopLevelKey(b, 0, b.length, "externalId")).isFalse();
    byte[] c = "{\"a\":{\"externalIds\":1},\"b\":\"externalIds\"}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasTopLevelKey(c, 0, c.length, "externalIds")).isFalse();
  }

  @Test
  void personalKeysAreFoundAtAnyDepthWhateverTheirSpelling() {
    PersonalTraits keys = PersonalTraits.of(java.util.List.of("phone", "first_name", "name", "手机号", "*mobile"));
    byte[] none = "{\"b\":\"phone\",\"phones\":[\"phone\"],\"c\":[{\"sku\":2}],\"d\":{\"e\":[1,{\"f\":\"name\"}]}}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasPersonalKey(none, 0, none.length, keys)).as("values and other keys").isFalse();
    byte[] camel = "{\"sku\":\"A\",\"firstName\":\"Zoë\"}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasPersonalKey(camel, 0, camel.length, keys)).isTrue();
    byte[] chinese = "{\"手机号\":\"13800138000\"}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasPersonalKey(chinese, 0, chinese.length, keys)).isTrue();
    byte[] nested = "{\"a\":[1,{\"receiver\":{\"Phone\":1}}]}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasPersonalKey(nested, 0, nested.length, keys)).isTrue();
    byte[] suffix = "{\"a\":{\"buyer_mobile\":1}}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasPersonalKey(suffix, 0, suffix.length, keys)).isTrue();
    byte[] topName = "{\"name\":\"张三\"}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasPersonalKey(topName, 0, topName.length, keys)).isTrue();
    byte[] productName = "{\"products\":[{\"name\":\"面霜\"}],\"store\":{\"name\":\"旗舰店\"}}".getBytes(UTF_8);
    assertThat(CanonicalJson.hasPersonalKey(productName, 0, productName.length, keys)).as("name below the top").isFalse();
  }

  /** The scan of the bytes answers what walking the parsed object does, for random documents. */
  @Test
  void personalKeysFromTheBytesAreThoseOfTheParsedObject() {
    PersonalTraits keys = PersonalTraits.of(PersonalTraits.DEFAULTS);
    JsonMapper json = JsonMapper.builder().build();
    Random r = new Random(11);
    String[] names = {"sku", "Phone", "name", "receiver_phone", "products", "a", "手机号", "FIRST-name", "x", "email"};
    int found = 0;
    for (int i = 0; i < 3000; i++) {
      Map<String, Object> doc = document(r, names, 0);
      byte[] b = json.writeValueAsBytes(doc);
      boolean expected = walk(doc, keys, false);
      found += expected ? 1 : 0;
      assertThat(CanonicalJson.hasPersonalKey(b, 0, b.length, keys)).as(new String(b, UTF_8)).isEqualTo(expected);
    }
    assertThat(found).isBetween(300, 2700); // both answers were exercised
  }

  private static Map<String, Object> document(Random r, String[] names, int depth) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    int n = r.nextInt(depth == 0 ? 4 : 3);
    for (int i = 0; i < n; i++) {
      String k = names[r.nextInt(names.length)];
      int kind = depth > 3 ? 0 : r.nextInt(4);
      m.put(k, switch (kind) {
        case 0 -> r.nextBoolean() ? names[r.nextInt(names.length)] : (Object) r.nextInt(100);
        case 1 -> document(r, names, depth + 1);
        case 2 -> java.util.List.of(document(r, names, depth + 1), names[r.nextInt(names.length)]);
        default -> java.util.List.of();
      });
    }
    return m;
  }

  private static boolean walk(Object v, PersonalTraits keys, boolean nested) {
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (keys.matches((String) e.getKey(), nested) || walk(e.getValue(), keys, true)) {
          return true;
        }
      }
    } else if (v instanceof List<?> l) {
      for (Object x : l) {
        if (walk(x, keys, true)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasNull(Object v, boolean nullsDropped) {
    if (v instanceof Map<?, ?> m) {
      for (Object x : m.values()) {
        if (x == null && nullsDropped || hasNull(x, nullsDropped)) {
          return true;
        }
      }
    } else if (v instanceof List<?> l) {
      for (Object x : l) {
        if (hasNull(x, nullsDropped)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Map<String, Object> object(Random r, int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      m.put("k" + r.nextInt(8) + TEXTS[r.nextInt(TEXTS.length)], value(r, depth - 1));
    }
    return m;
  }

  private static Object value(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 12 : 10);
    return switch (kind) {
      case 0 -> r.nextInt();
      case 1 -> r.nextLong();
      case 2 -> r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
      case 3 -> Math.round(r.nextGaussian() * 1000) / 100.0;
      case 4 -> r.nextBoolean();
      case 5 -> null;
      case 6 -> new BigInteger(100, r);
      case 7 -> (double) r.nextInt(100);
      case 8, 9 -> TEXTS[r.nextInt(TEXTS.length)] + r.nextInt(10);
      case 10 -> object(r, depth);
      default -> {
        List<Object> l = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          l.add(value(r, depth - 1));
        }
        yield l;
      }
    };
  }
}
