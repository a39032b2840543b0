package io.pond.ingest.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.LinkKind;
import io.pond.platform.Identifier;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The event frame's JSON columns are the bytes the application's mapper writes. */
class JsonColumnsTest {

  static final JsonMapper PLAIN = JsonMapper.builder().build();
  static final JsonMapper NON_NULL = JsonMapper.builder()
      .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL)
          .withContentInclusion(JsonInclude.Include.NON_NULL))
      .build();
  static final JsonMapper NON_NULL_VALUES = JsonMapper.builder()
      .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
      .build();

  static EventEnvelope envelope(Map<String, Object> properties, Map<String, Object> context, Identifier previous) {
    Instant t = Instant.parse("2026-11-22T10:00:00.123456Z");
    return new EventEnvelope(0, 7, "m-é-1", "segment", "track", "Viewed 中", t, t,
        List.of(Identifier.global("anonymous_id", "a-1"), Identifier.scoped("wechat_openid", "wx\"1", "o\n9")),
        previous == null ? LinkKind.TOGETHER : LinkKind.ALIAS, previous, properties, Map.of("name", "Zoë"), context);
  }

  static List<EventEnvelope> samples() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("sku", "SKU-1");
    props.put("price", 19.9);
    props.put("qty", 3);
    props.put("big", 12345678901234L);
    props.put("dec", new BigDecimal("0.10"));
    props.put("nothing", null);
    props.put("flag", false);
    props.put("tags", Arrays.asList("a", null, 1.0E-9, List.of()));
    props.put("ctl", "tab\tline\u0001end \\ \"q\" 😀 \ud800 lone");
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("inner", Map.of());
    nested.put("gone", null);
    props.put("nested", nested);
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("ip", "127.0.0.1");
    context.put("integrations", Map.of("All", true));
    List<EventEnvelope> out = new ArrayList<>();
    out.add(envelope(props, context, null));
    out.add(envelope(Map.of(), Map.of(), Identifier.global("login_id", "u-1")));
    out.add(envelope(Map.of("sku", "SKU-1", "price", 19.9), Map.of(), null));
    return out;
  }

  /** The columns as they were written before: Jackson Strings, UTF-8 encoded (and read back). */
  static List<String> expected(EventEnvelope e, JsonMapper json) {
    return Arrays.stream(new String[] {
        json.writeValueAsString(e.identifiers()),
        e.previous() == null ? null : json.writeValueAsString(e.previous()),
        e.properties().isEmpty() ? "{}" : json.writeValueAsString(e.properties()),
        e.traits().isEmpty() ? "{}" : json.writeValueAsString(e.traits()),
        e.context().isEmpty() ? "{}" : json.writeValueAsString(e.context())})
        .map(c -> c == null ? null : new String(c.getBytes(UTF_8), UTF_8))
        .toList();
  }

  static List<String> columns(byte[] frame) {
    LogFrames.Reader r = new LogFrames.Reader(ByteBuffer.wrap(frame), 0);
    assertThat(LogFrames.check(ByteBuffer.wrap(frame), 0)).isEqualTo(frame.length);
    assertThat(r.kind()).isEqualTo(LogFrames.EVENT);
    r.getLong();
    r.getLong();
    for (int i = 0; i < 4; i++) {
      r.getString(); // messageId, protocol, type, event
    }
    r.getLong();
    r.getLong();
    r.getString(); // link
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      out.add(r.getString());
    }
    return out;
  }

  static int utf8(String s) {
    return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  @Test
  void columns_are_the_mappers_bytes_for_every_inclusion_setting() {
    for (JsonMapper json : List.of(PLAIN, NON_NULL, NON_NULL_VALUES)) {
      assertThat(JsonColumns.of(json).direct()).as("direct writing agrees with the mapper").isTrue();
      for (EventEnvelope e : samples()) {
        EncodedEvent encoded = TestEventPii.unsealed(e, json);
        List<String> want = expected(e, json);
        assertThat(columns(encoded.frame())).isEqualTo(want);
        int size = utf8(e.messageId()) + utf8(e.type()) + utf8(e.event());
        for (String c : want) {
          size += utf8(c);
        }
        assertThat(encoded.bytes()).isEqualTo(size);
        assertThat(encoded.dedupHash()).isEqualTo(EventLog.hash(e.sourceId(), e.messageId()));
      }
    }
  }

  @Test
  void a_value_of_another_type_is_written_by_the_mapper() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("when", Instant.parse("2026-11-22T10:00:00Z"));
    props.put("nan", Double.NaN);
    EventEnvelope e = envelope(props, Map.of(), null);
    assertThat(columns(TestEventPii.unsealed(e, NON_NULL).frame())).isEqualTo(expected(e, NON_NULL));
  }
}
