package io.pond.ingest.segment;

import io.pond.ingest.intake.JsonFields;
import io.pond.ingest.log.CanonicalJson;
import io.pond.ingest.log.RawJsonObject;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Segment request body read with Jackson's streaming parser straight into plain Java values
 * (LinkedHashMap, ArrayList, String, Integer/Long/BigInteger, Double, Boolean, null): the values
 * {@code JsonFields.toJava(json.readTree(body))} gives, without the tree in between.
 *
 * <p>PERF: the tree parse and the copy of the tree into maps were 35% of a batched request's CPU
 * (see docs/benchmarks.md, "Ingestion"). The raw JSON of a message (for the dead-letter store) is
 * made only when the message is refused: its bytes are re-read into a tree and written by the
 * mapper, exactly as the tree path wrote it.
 */
final class SegmentBody {

  /** One message of a batch: its value and its JSON as the mapper writes it, made on demand. */
  record Item(Object value, Supplier<String> raw) {}

  /** The top-level fields other than {@code batch}, and the batch's items (null without an array). */
  record Read(Map<String, Object> top, List<Item> items) {}

  private final JsonMapper json;
  /** False when the mapper reads numbers other than as the plain types (then the tree reads them). */
  private final boolean plainNumbers;
  private final boolean failOnTrailingTokens;
  /** Keeps a message's properties, traits and context as bytes when they are canonical; null: never. */
  private final CanonicalJson canonical;
  /** Reads the usual bodies without Jackson's tokenizer; null: never. */
  private final SegmentScanner scanner;

  SegmentBody(JsonMapper json) {
    this.json = json;
    this.plainNumbers = !json.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        && !json.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
        && !json.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS);
    this.failOnTrailingTokens = json.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.canonical = plainNumbers ? CanonicalJson.of(json) : null;
    this.scanner = plainNumbers && !json.isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        ? new SegmentScanner(this, canonical) : null;
  }

  /** A single-message body: the message; its raw JSON (without {@code writeKey}) on demand. */
  Map<String, Object> message(byte[] body) {
    return read(body, false).top();
  }

  /** The raw JSON of a single-message body, as the tree path wrote it (without {@code writeKey}). */
  Supplier<String> rawMessage(byte[] body) {
    return () -> {
      ObjectNode node = (ObjectNode) json.readTree(body);
      node.remove("writeKey");
      return json.writeValueAsString(node);
    };
  }

  /**
   * Reads a body that must be a JSON object.
   *
   * @param batch whether a {@code batch} array is read as items (else it is a plain field)
   * @throws PondException 400 {@code malformed_request} for a body that is not a JSON object
   */
  Read read(byte[] body, boolean batch) {
    if (scanner != null) {
      Read read = scanner.read(body, batch);
      if (read != null) {
        return read;
      }
    }
    return jacksonRead(body, batch);
  }

  /** For tests: the scanner, or null. */
  SegmentScanner scanner() {
    return scanner;
  }

  /** {@link #read} with Jackson's parser. */
  Read jacksonRead(byte[] body, boolean batch) {
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new PondException(ErrorCode.MALFORMED_REQUEST, "the body must be a JSON object");
      }
      Map<String, Object> top = new LinkedHashMap<>();
      List<Item> items = null;
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        JsonToken t = p.nextToken();
        if (batch && name.equals("batch")) {
          if (t == JsonToken.START_ARRAY) {
            items = items(p, body);
            top.remove("batch");
            continue;
          }
          items = null; // the last "batch" wins, as in a tree
        }
        top.put(name, batch ? value(p, t) : field(p, t, name, body));
      }
      if (failOnTrailingTokens && p.nextToken() != null) {
        throw new PondException(ErrorCode.MALFORMED_REQUEST, "the body is not valid JSON: trailing tokens after the object");
      }
      return new Read(top, items);
    } catch (JacksonException e) {
      throw new PondException(ErrorCode.MALFORMED_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private List<Item> items(JsonParser p, byte[] body) {
    List<Item> items = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.START_OBJECT) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        Object value = message(p, body);
        int end = (int) p.currentLocation().getByteOffset(); // just after the closing brace
        items.add(new Item(value, rawItem(body, start, end)));
      } else {
        // Not an object: refused by the mapper; rare, so read as a tree for its raw JSON.
        JsonNode node = (JsonNode) p.readValueAsTree();
        String raw = json.writeValueAsString(node);
        items.add(new Item(JsonFields.toJava(node), () -> raw));
      }
    }
    return items;
  }

  /** The raw JSON of the batch item {@code body[start, end)}, as the tree path wrote it, on demand. */
  Supplier<String> rawItem(byte[] body, int start, int end) {
    return () -> json.writeValueAsString(json.readTree(body, start, end - start));
  }

  /**
   * The object or array {@code body[start, end)} as {@link #value} reads it, for
   * {@link SegmentScanner}.
   *
   * @throws JacksonException when it is not exactly one valid value
   */
  Object nested(byte[] body, int start, int end) {
    try (JsonParser p = json.createParser(body, start, end - start)) {
      Object value = value(p, p.nextToken());
      if (p.nextToken() != null) {
        throw new IllegalStateException("unreachable: checked by the caller");
      }
      return value;
    }
  }

  /** A message object (its START_OBJECT is the current token), as {@link #value} reads it. */
  private Map<String, Object> message(JsonParser p, byte[] body) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      map.put(name, field(p, p.nextToken(), name, body));
    }
    return map;
  }

  /**
   * A message's field. PERF: properties, traits and context already in the form the event log
   * writes are kept as their bytes ({@link RawJsonObject}), copied into the log frame as they are,
   * without a String, map or number per value; otherwise they are read as {@link #value} reads
   * them (see docs/benchmarks.md, "Ingestion").
   */
  private Object field(JsonParser p, JsonToken t, String name, byte[] body) {
    if (t != JsonToken.START_OBJECT || canonical == null
        || !(name.equals("properties") || name.equals("traits") || name.equals("context"))) {
      return value(p, t);
    }
    int start = (int) p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    int end = (int) p.currentLocation().getByteOffset(); // just after the closing brace
    RawJsonObject raw = canonical.object(body, start, end);
    if (raw != null) {
      return raw;
    }
    try (JsonParser q = json.createParser(body, start, end - start)) {
      return value(q, q.nextToken());
    }
  }

  /** The value starting at token {@code t}, as {@link JsonFields#toJava} makes it from a tree. */
  private Object value(JsonParser p, JsonToken t) {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name = p.nextName(); name != null; name = p.nextName()) {
          map.put(name, value(p, p.nextToken()));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(value(p, item));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getString();
      }
      case VALUE_NUMBER_INT -> {
        return plainNumbers ? p.getNumberValue() : JsonFields.toJava((JsonNode) p.readValueAsTree());
      }
      case VALUE_NUMBER_FLOAT -> {
        return plainNumbers ? (Object) p.getDoubleValue() : JsonFields.toJava((JsonNode) p.readValueAsTree());
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> {
        return JsonFields.toJava((JsonNode) p.readValueAsTree());
      }
    }
  }
}
