package io.pond.commerce.channel;

import io.pond.commerce.order.domain.Money;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reading platform JSON defensively: every failure is a {@link BadPayload} with a reason. */
final class Json {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** Chinese platforms print local times without an offset; they mean China Standard Time. */
  static final ZoneId PLATFORM_ZONE = ZoneId.of("Asia/Shanghai");

  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Json() {}

  /** A payload that cannot be mapped; the message says why. */
  static final class BadPayload extends RuntimeException {
    BadPayload(String reason) {
      super(reason);
    }
  }

  static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new BadPayload("malformed JSON: " + firstLine(e.getOriginalMessage()));
    }
  }

  /** A field that may itself hold JSON as a string (TMC {@code content}, 抖店 {@code data}). */
  static JsonNode nested(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new BadPayload("'" + field + "' is missing");
    }
    return value.isString() ? parse(value.asString()) : value;
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    String s = value.asString();
    return s == null || s.isBlank() ? null : s.trim();
  }

  static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw new BadPayload("'" + field + "' is missing");
    }
    return value;
  }

  static Long yuan(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      return null;
    }
    try {
      return Money.yuanToFen(value);
    } catch (IllegalArgumentException e) {
      throw new BadPayload("'" + field + "': " + e.getMessage());
    }
  }

  static Long fen(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      return null;
    }
    try {
      long fen = Long.parseLong(value);
      if (fen < 0) {
        throw new BadPayload("'" + field + "' is negative: " + value);
      }
      return fen;
    } catch (NumberFormatException e) {
      throw new BadPayload("'" + field + "' is not an amount in fen: '" + value + "'");
    }
  }

  static Integer integer(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new BadPayload("'" + field + "' is not a whole number: '" + value + "'");
    }
  }

  /** {@code yyyy-MM-dd HH:mm:ss} in China time, or ISO-8601 with an offset. */
  static Instant localTime(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? null : parseTime(value, field);
  }

  static Instant parseTime(String value, String field) {
    try {
      if (value.length() > 10 && value.charAt(10) == 'T') {
        return java.time.OffsetDateTime.parse(value).toInstant();
      }
      return LocalDateTime.parse(value.replace('/', '-'), LOCAL).atZone(PLATFORM_ZONE).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadPayload("'" + field + "' is not a time: '" + value + "'");
    }
  }

  static Instant epochSeconds(JsonNode node, String field) {
    Long value = fen(node, field);
    return value == null || value == 0 ? null : Instant.ofEpochSecond(value);
  }

  static Instant epochMillis(JsonNode node, String field) {
    Long value = fen(node, field);
    return value == null || value == 0 ? null : Instant.ofEpochMilli(value);
  }

  static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
