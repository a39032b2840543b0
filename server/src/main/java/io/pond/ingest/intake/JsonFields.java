package io.pond.ingest.intake;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reading fields of untrusted JSON records, with faults reported as {@link RecordException}. */
public final class JsonFields {

  private final JsonMapper json;

  public JsonFields(JsonMapper json) {
    this.json = json;
  }

  /** A string (or number, as text) field; null when absent, JSON null or blank. */
  public String text(JsonNode record, String field) {
    JsonNode node = record.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isString() || node.isNumber()) {
      String text = node.asString();
      return text.isBlank() ? null : text;
    }
    throw RecordException.invalid(field, field + " must be a string");
  }

  /** An ISO-8601 time field; null when absent. */
  public Instant instant(JsonNode record, String field) {
    return instant(field, text(record, field));
  }

  /**
   * The text of a time field as an instant (with an offset, or UTC with {@code Z}); null for null.
   *
   * @throws RecordException {@code invalid} on {@code field} when it is not ISO-8601
   */
  public static Instant instant(String field, String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e2) {
        throw RecordException.invalid(field, field + " is not an ISO-8601 time: '" + text + "'");
      }
    }
  }

  /** An object field as a map; empty when absent. */
  public Map<String, Object> map(JsonNode record, String field) {
    JsonNode node = record.get(field);
    if (node == null || node.isNull()) {
      return new LinkedHashMap<>();
    }
    if (!node.isObject()) {
      throw RecordException.invalid(field, field + " must be an object");
    }
    return toMap(node);
  }

  // PERF: a direct walk of the tree; ObjectMapper.convertValue goes through a token buffer and cost
  // several times more per event.
  private static Map<String, Object> toMap(JsonNode object) {
    Map<String, Object> map = new LinkedHashMap<>(Math.max(4, object.size() * 2));
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      map.put(e.getKey(), toJava(e.getValue()));
    }
    return map;
  }

  /** The plain Java value of a JSON node: maps, lists, strings, numbers, booleans, null. */
  public static Object toJava(JsonNode node) {
    if (node.isObject()) {
      return toMap(node);
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode item : node.values()) {
        list.add(toJava(item));
      }
      return list;
    }
    if (node.isString()) {
      return node.asString();
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNull() || node.isMissingNode()) {
      return null;
    }
    return node.asString(); // binary or POJO nodes do not come out of a parser
  }

  /** The object field of {@code record}, or a new empty object. */
  public ObjectNode object(JsonNode record, String field) {
    JsonNode node = record.get(field);
    if (node == null || node.isNull()) {
      return json.createObjectNode();
    }
    if (!node.isObject()) {
      throw RecordException.invalid(field, field + " must be an object");
    }
    return (ObjectNode) node;
  }

  public String write(JsonNode node) {
    return json.writeValueAsString(node);
  }

  public JsonMapper mapper() {
    return json;
  }
}
