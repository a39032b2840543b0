package io.pond.ingest.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.intake.JsonFields;
import io.pond.ingest.intake.Parsed;
import io.pond.ingest.log.RawJsonObject;
import io.pond.ingest.log.TestEventPii;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streaming Segment mapping ({@link SegmentBody} + {@link SegmentMapper}) against the former tree
 * mapping ({@link TreeSegmentMapper}): the same envelopes, refusals and raw dead-letter JSON, on
 * hand-written and random batches (nested properties, unicode, numbers, nulls, missing fields,
 * invalid records).
 */
class SegmentStreamingTest {

  private final JsonMapper json = JsonMapper.builder().build();
  private final JsonFields fields = new JsonFields(json);
  private final Instant receivedAt = Instant.parse("2026-11-23T01:00:00Z");
  /** Objects stored as their received bytes, so that the tests cover that path. */
  private int rawObjects;

  private static final List<String> BATCHES = List.of(
      """
      {"batch":[{"type":"track","event":"Order","userId":"u1","messageId":"m1",
        "properties":{"sku":"SKU-1","price":19.9,"n":null,"big":123456789012345678901234567890,
          "l":9007199254740993,"e":1.0E10,"neg":-0.0,"t":true,"arr":[1,"x",null,{"k":[]}],"ü中😀":"é\\n\\"q\\""},
        "context":{"ip":"1.2.3.4","externalIds":[{"id":"a@b.c","type":"email","collection":"users"}]},
        "timestamp":"2026-11-23T00:59:00Z","sentAt":"2026-11-23T01:00:05Z"}],
       "context":{"library":{"name":"x"},"ip":"0.0.0.0"},"integrations":{"All":true},"sentAt":"2026-11-23T01:00:10Z"}
      """,
      """
      {"sentAt":"2026-11-23T01:00:10+08:00","batch":[
        {"type":"identify","anonymousId":"a1","traits":{"name":"张三","age":30}},
        {"type":"alias","previousId":"a1","anonymousId":"a1","userId":"u2","messageId":"m2"},
        {"type":"alias","previousId":"old","userId":"u2","messageId":"m3","integrations":null},
        {"type":"group","groupId":"g1","userId":"u3","messageId":"m4","properties":null},
        {"type":"group","userId":"u3","messageId":"m5"},
        {"type":"page","name":"Home","userId":42,"messageId":"m6","originalTimestamp":"2026-11-23T00:00:00.123Z"},
        {"type":"screen","userId":"u4","messageId":"m7","timestamp":"not a time"},
        {"type":"unknown","userId":"u4","messageId":"m8"},
        {"userId":"u4","messageId":"m9"},
        {"type":"track","userId":"u4","messageId":"m10"},
        {"type":"track","event":"E","messageId":"m11"},
        {"type":"track","event":"E","userId":["x"],"messageId":"m12"},
        {"type":"track","event":"E","userId":"  ","anonymousId":"a","messageId":"m13"},
        {"type":"track","event":"E","userId":"u","messageId":"%s"},
        {"type":"track","event":"E","userId":"u","messageId":"m14","properties":"nope"},
        {"type":"track","event":"E","userId":"u","messageId":"m15","context":[1]},
        {"type":"track","event":"E","userId":"u","messageId":"m16","context":{"externalIds":{}}},
        {"type":"track","event":"E","userId":"u","messageId":"m17","context":{"externalIds":[{"id":"x"}]}},
        {"type":"track","event":"E","userId":"u","messageId":"m18","context":{"externalIds":[5]}},
        {"type":"track","event":"E","userId":"u","messageId":"m19","context":{"externalIds":[{"id":"o1","type":"openid","collection":"wx"},{"id":"u","type":"user_id"}]}},
        5, "text", null, [1,2], {},
        {"type":"track","event":"E","userId":"u","messageId":"m20","properties":{"a":1},"properties":{"b":2}},
        {"type":"track","event":"E","userId":1.5E300,"messageId":"m21","traits":{"x":{"y":{"z":[[],{}]}}}}
      ]}
      """.formatted("x".repeat(101)));

  @Test
  void handWrittenBatchesMapAsTheTreeDid() {
    for (String body : BATCHES) {
      assertSame(body);
    }
  }

  @Test
  void randomBatchesMapAsTheTreeDid() {
    Random random = new Random(42);
    for (int n = 0; n < 300; n++) {
      StringBuilder b = new StringBuilder("{");
      if (random.nextBoolean()) {
        b.append("\"context\":").append(object(random, 2)).append(',');
      }
      if (random.nextInt(4) == 0) {
        b.append("\"integrations\":").append(value(random, 1)).append(',');
      }
      b.append("\"batch\":[");
      int count = 1 + random.nextInt(20);
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(message(random));
      }
      b.append("]}");
      assertSame(b.toString());
    }
    assertThat(rawObjects).isGreaterThan(100);
  }

  private static final String[] TYPES = {"track", "identify", "page", "screen", "group", "alias", "bogus"};
  private static final String[] TEXTS = {"u1", "a", "中文", "😀 é", "", " ", "q\"uo\\te", "2026-11-23T00:00:00Z"};

  private String message(Random r) {
    StringBuilder b = new StringBuilder("{");
    List<String> f = new ArrayList<>();
    if (r.nextInt(10) > 0) f.add("\"type\":\"" + TYPES[r.nextInt(TYPES.length)] + "\"");
    if (r.nextInt(10) > 0) f.add("\"messageId\":\"m" + r.nextInt(1_000_000) + "\"");
    for (String name : new String[] {"userId", "anonymousId", "event", "name", "groupId", "previousId"}) {
      if (r.nextInt(3) > 0) f.add("\"" + name + "\":" + scalar(r));
    }
    for (String name : new String[] {"timestamp", "originalTimestamp", "sentAt"}) {
      if (r.nextInt(3) == 0) {
        f.add("\"" + name + "\":" + (r.nextInt(5) == 0 ? "\"yesterday\"" : "\"2026-11-2" + r.nextInt(4) + "T0" + r.nextInt(10) + ":00:00Z\""));
      }
    }
    for (String name : new String[] {"properties", "traits", "context", "integrations"}) {
      if (r.nextInt(3) > 0) f.add("\"" + name + "\":" + (r.nextInt(8) == 0 ? value(r, 0) : object(r, 2)));
    }
    if (r.nextInt(4) == 0) {
      f.add("\"context\":{\"externalIds\":[{\"id\":" + scalar(r) + ",\"type\":\"" + (r.nextBoolean() ? "email" : "openid")
          + "\",\"collection\":\"c\"}]}");
    }
    java.util.Collections.shuffle(f, r);
    b.append(String.join(",", f));
    return b.append('}').toString();
  }

  private String scalar(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> Integer.toString(r.nextInt());
      case 1 -> Double.toString(r.nextGaussian() * 1e6);
      case 2 -> "null";
      case 3 -> "true";
      case 4 -> Long.toString(r.nextLong()) + "123";
      default -> "\"" + TEXTS[r.nextInt(TEXTS.length)].replace("\\", "\\\\").replace("\"", "\\\"") + r.nextInt(100) + "\"";
    };
  }

  private String object(Random r, int depth) {
    StringBuilder b = new StringBuilder("{");
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append(',');
      b.append("\"k").append(r.nextInt(4)).append(TEXTS[r.nextInt(3)]).append("\":").append(value(r, depth - 1));
    }
    return b.append('}').toString();
  }

  private String value(Random r, int depth) {
    if (depth <= 0 || r.nextInt(3) > 0) {
      return scalar(r);
    }
    if (r.nextBoolean()) {
      return object(r, depth);
    }
    return "[" + scalar(r) + "," + value(r, depth - 1) + "]";
  }

  /** Bodies read by the byte scanner rather than Jackson's tokenizer, so that the tests cover it. */
  private int scanned;

  @Test
  void theScannerReadsWhatJacksonReadsOrGivesUp() {
    Random random = new Random(5);
    List<String> bodies = new ArrayList<>(BATCHES);
    for (int n = 0; n < 300; n++) {
      StringBuilder b = new StringBuilder("{");
      if (random.nextBoolean()) {
        b.append("\"context\":").append(object(random, 2)).append(',');
      }
      b.append("\"sentAt\":\"2026-11-23T01:00:00Z\",\"batch\":[");
      int count = 1 + random.nextInt(5);
      for (int i = 0; i < count; i++) {
        b.append(i > 0 ? "," : "").append(message(random));
      }
      String body = b.append("]}").toString();
      bodies.add(body);
      bodies.add(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(body)));
      bodies.add(" " + body.replace(",", " ,\n\t").replace(":", "\r: ") + " ");
      bodies.add(body.replace("\"u", "\"\\u0075")); // an escape in a message-level string: Jackson reads it
    }
    bodies.add("{\"batch\":[]}");
    bodies.add("{}");
    bodies.add("{\"batch\":5,\"writeKey\":\"k\"}");
    bodies.add("{\"batch\":[{\"type\":\"track\"}],\"batch\":{\"a\":1}}");
    bodies.add("{\"batch\":{\"a\":1},\"batch\":[{\"n\":1234567890,\"l\":12345678901,\"m\":-9223372036854775808,"
        + "\"b\":9223372036854775808,\"d\":-0,\"f\":1E5,\"t\":true,\"x\":null,\"s\":\"\u00e9\u4e2d\ud83d\ude00\"}]}");
    List<String> malformed = List.of("", "[]", "{", "{\"batch\":[{}", "{\"batch\":[{}]", "{\"batch\":[{}]}x",
        "{\"a\":tru}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":\"\u0001\"}", "{\"a\":[1,]}",
        "{\"batch\":[{\"properties\":{\"a\":1,}}]}", "{\"batch\":[{\"properties\":{\"a\":[}]}]}", "{a:1}", "{\"a\" 1}",
        "{\"batch\":[{\"context\":{\"a\":\"x\"}}]}trailing");
    SegmentBody reader = new SegmentBody(json);
    for (String body : bodies) {
      for (boolean batch : new boolean[] {true, false}) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SegmentBody.Read fast = reader.scanner().read(bytes, batch);
        if (fast == null) {
          continue;
        }
        scanned++;
        SegmentBody.Read slow = reader.jacksonRead(bytes, batch);
        assertThat(fast.top()).as(body).isEqualTo(slow.top());
        assertThat(fast.items() == null).as(body).isEqualTo(slow.items() == null);
        if (fast.items() != null) {
          assertThat(fast.items()).hasSameSizeAs(slow.items());
          for (int i = 0; i < fast.items().size(); i++) {
            assertThat(fast.items().get(i).value()).as(body).isEqualTo(slow.items().get(i).value());
            assertThat(fast.items().get(i).raw().get()).as(body).isEqualTo(slow.items().get(i).raw().get());
          }
        }
      }
    }
    for (String body : malformed) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(reader.scanner().read(bytes, true)).as(body).isNull();
    }
    assertThat(scanned).isGreaterThan(400);
  }

  private void assertSame(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    List<Parsed> old = treePath(bytes);
    List<Parsed> streamed = streamingPath(bytes);
    assertThat(streamed).hasSameSizeAs(old);
    for (int i = 0; i < old.size(); i++) {
      Parsed o = old.get(i);
      Parsed s = streamed.get(i);
      assertThat(s.getClass()).as(body + " #" + i).isEqualTo(o.getClass());
      if (o instanceof Parsed.Valid ov) {
        Parsed.Valid sv = (Parsed.Valid) s;
        for (Object m : List.of(sv.envelope().properties(), sv.envelope().traits(), sv.envelope().context())) {
          if (m instanceof RawJsonObject r && r.isRaw()) {
            rawObjects++;
          }
        }
        // the stored bytes (JSON columns copied from the body when canonical) are the mapper's
        byte[] streamedFrame = TestEventPii.unsealed(withoutRandomId(sv.envelope()), json).frame();
        byte[] treeFrame = TestEventPii.unsealed(withoutRandomId(ov.envelope()), json).frame();
        assertThat(new String(streamedFrame, StandardCharsets.UTF_8)).as(body + " #" + i)
            .isEqualTo(new String(treeFrame, StandardCharsets.UTF_8));
        assertThat(withoutRandomId(sv.envelope())).as(body + " #" + i).isEqualTo(withoutRandomId(ov.envelope()));
        assertThat(sv.raw().get()).isEqualTo(ov.raw().get());
      } else {
        Parsed.Refused or = (Parsed.Refused) o;
        Parsed.Refused sr = (Parsed.Refused) s;
        assertThat(sr.rejection()).as(body + " #" + i).isEqualTo(or.rejection());
        assertThat(sr.raw()).as(body + " #" + i).isEqualTo(or.raw());
      }
    }
  }

  /** A message without messageId gets a random one on both paths. */
  private static EventEnvelope withoutRandomId(EventEnvelope e) {
    String id = e.messageId().startsWith("pond-") ? "random" : e.messageId();
    return new EventEnvelope(e.offset(), e.sourceId(), id, e.protocol(), e.type(), e.event(), e.timestamp(),
        e.receivedAt(), e.identifiers(), e.link(), e.previous(), e.properties(), e.traits(), e.context());
  }

  private List<Parsed> treePath(byte[] body) {
    JsonNode root = json.readTree(body);
    TreeSegmentMapper mapper = new TreeSegmentMapper(fields);
    TreeSegmentMapper.Defaults d = new TreeSegmentMapper.Defaults(
        fields.object(root, "context"), root.get("integrations"), fields.instant(root, "sentAt"));
    List<Parsed> out = new ArrayList<>();
    int i = 0;
    for (JsonNode item : root.get("batch").values()) {
      out.add(mapper.map(i++, item, null, d, 7, receivedAt));
    }
    return out;
  }

  private List<Parsed> streamingPath(byte[] body) {
    SegmentBody.Read read = new SegmentBody(json).read(body, true);
    SegmentMapper mapper = new SegmentMapper();
    SegmentMapper.Defaults d = new SegmentMapper.Defaults(SegmentMapper.map(read.top(), "context"),
        read.top().get("integrations"), SegmentMapper.instant(read.top(), "sentAt"));
    List<Parsed> out = new ArrayList<>();
    int i = 0;
    for (SegmentBody.Item item : read.items()) {
      out.add(mapper.map(i++, item.value(), item.raw(), null, d, 7, receivedAt));
    }
    return out;
  }
}
