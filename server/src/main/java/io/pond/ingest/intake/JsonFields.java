package io.pond.ingest.intake;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Reading fields of untrusted JSON records, with faults reported as {@link RecordException}. */
public final class JsonFields {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

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
    String text = text(record, field);
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
    return json.convertValue(node, MAP);
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

  public int size(JsonNode node) {
    return json.writeValueAsBytes(node).length;
  }

  public JsonMapper mapper() {
    return json;
  }
}
