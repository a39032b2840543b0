package io.pond.segment.expression;

import io.pond.platform.errors.PondException;
import io.pond.segment.expression.domain.Expression;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON form of a segment expression (docs/segments.md) and validates it. A problem answers
 * {@code validation_failed} whose {@code field} is the JSON pointer of the offending node, e.g.
 * {@code /expression/and/2/did}.
 */
public final class ExpressionJson {

  public static final int MAX_DEPTH = 20;
  public static final int MAX_CHILDREN = 200;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What names an expression may use; lenient readers accept any. */
  public interface Vocabulary {
    boolean tagExists(String tag);

    boolean segmentExists(String code);

    /** The identifier types of a channel; empty when the channel is unknown. */
    List<String> channelTypes(String channel);

    boolean propertyIndexed(String property);

    int maxDays();
  }

  private final Vocabulary vocabulary;
  private final boolean lenient;

  private ExpressionJson(Vocabulary vocabulary, boolean lenient) {
    this.vocabulary = vocabulary;
    this.lenient = lenient;
  }

  /** Parses and checks every name against the vocabulary. */
  public static Expression parse(JsonNode node, String pointer, Vocabulary vocabulary) {
    return new ExpressionJson(vocabulary, false).read(node, pointer, 0);
  }

  /** Parses a stored expression without checking that its tags and segments still exist. */
  public static Expression parseStored(String json, Vocabulary vocabulary) {
    return new ExpressionJson(vocabulary, true).read(JSON.readTree(json), "", 0);
  }

  public static String write(JsonNode node) {
    return JSON.writeValueAsString(node);
  }

  public static JsonNode tree(String json) {
    return JSON.readTree(json);
  }

  private static final Map<String, Set<String>> KEYS = Map.ofEntries(
      Map.entry("and", Set.of("and")),
      Map.entry("or", Set.of("or")),
      Map.entry("not", Set.of("not")),
      Map.entry("tag", Set.of("tag")),
      Map.entry("trait", Set.of("trait", "in", "equals")),
      Map.entry("metric", Set.of("metric", "gte", "lte")),
      Map.entry("tier", Set.of("tier", "program")),
      Map.entry("channel", Set.of("channel")),
      Map.entry("consent", Set.of("consent")),
      Map.entry("did", Set.of("did", "where", "atLeast", "inLastDays")),
      Map.entry("bought", Set.of("bought", "atLeast", "inLastDays")),
      Map.entry("segment", Set.of("segment")));

  private Expression read(JsonNode node, String at, int depth) {
    if (node == null || !node.isObject()) {
      throw PondException.invalid(at, "an expression is a JSON object such as {\"tag\":\"vip\"} or {\"and\":[…]}");
    }
    if (depth > MAX_DEPTH) {
      throw PondException.invalid(at, "expressions nest at most " + MAX_DEPTH + " levels");
    }
    String operator = null;
    for (String key : node.propertyNames()) {
      if (KEYS.containsKey(key)) {
        if (operator != null) {
          throw PondException.invalid(at, "one operator per node, found '" + operator + "' and '" + key + "'");
        }
        operator = key;
      }
    }
    if (operator == null) {
      throw PondException.invalid(at, "no operator: use one of " + new java.util.TreeSet<>(KEYS.keySet()));
    }
    for (String key : node.propertyNames()) {
      if (!KEYS.get(operator).contains(key)) {
        throw PondException.invalid(at + "/" + key, "'" + key + "' does not belong in a '" + operator + "' node; allowed: "
            + new java.util.TreeSet<>(KEYS.get(operator)));
      }
    }
    String here = at + "/" + operator;
    JsonNode value = node.get(operator);
    return switch (operator) {
      case "and" -> new Expression.And(children(value, here, depth));
      case "or" -> new Expression.Or(children(value, here, depth));
      case "not" -> new Expression.Not(read(value, here, depth + 1));
      case "tag" -> {
        String tag = name(value, here);
        if (!lenient && !vocabulary.tagExists(tag)) {
          throw PondException.invalid(here, "no tag '" + tag + "'");
        }
        yield new Expression.HasTag(tag);
      }
      case "trait" -> {
        String name = name(value, here);
        if (node.has("in") && node.has("equals")) {
          throw PondException.invalid(at + "/equals", "use 'in' or 'equals', not both");
        }
        List<String> values = node.has("equals") ? List.of(text(node.get("equals"), at + "/equals"))
            : node.has("in") ? strings(node.get("in"), at + "/in") : List.of();
        yield new Expression.Trait(name, values);
      }
      case "metric" -> {
        String name = name(value, here);
        Long min = node.has("gte") ? whole(node.get("gte"), at + "/gte") : null;
        Long max = node.has("lte") ? whole(node.get("lte"), at + "/lte") : null;
        if (min == null && max == null) {
          throw PondException.invalid(here, "a metric predicate needs 'gte', 'lte' or both");
        }
        if (min != null && max != null && min > max) {
          throw PondException.invalid(at + "/lte", "'lte' (" + max + ") is below 'gte' (" + min + ")");
        }
        yield new Expression.Metric(name, min, max);
      }
      case "tier" -> {
        List<String> tiers = value != null && value.isArray() ? strings(value, here) : List.of(name(value, here));
        String program = node.has("program") ? name(node.get("program"), at + "/program") : null;
        yield new Expression.Tier(program, tiers);
      }
      case "channel" -> {
        String channel = name(value, here);
        List<String> types = vocabulary.channelTypes(channel);
        if (types.isEmpty()) {
          throw PondException.invalid(here, "no channel '" + channel + "' (configure it under pond.segment.channels)");
        }
        yield new Expression.Channel(channel, types);
      }
      case "consent" -> new Expression.Consent(name(value, here));
      case "did" -> did(node, at, name(value, here));
      case "bought" -> new Expression.Bought(name(value, here), count(node, at), days(node, at));
      case "segment" -> {
        String code = name(value, here);
        if (!lenient && !vocabulary.segmentExists(code)) {
          throw PondException.invalid(here, "no segment '" + code + "'");
        }
        yield new Expression.InSegment(code);
      }
      default -> throw new IllegalStateException(operator);
    };
  }

  private Expression did(JsonNode node, String at, String event) {
    String property = null;
    List<String> values = List.of();
    if (node.has("where")) {
      JsonNode where = node.get("where");
      if (!where.isObject() || where.size() != 1) {
        throw PondException.invalid(at + "/where",
            "'where' names one event property and its value or values, e.g. {\"category\":[\"tea\",\"coffee\"]}");
      }
      property = where.propertyNames().iterator().next();
      if (!vocabulary.propertyIndexed(property)) {
        throw PondException.invalid(at + "/where/" + property,
            "property '" + property + "' is not indexed (pond.segment.indexed-properties)");
      }
      JsonNode v = where.get(property);
      values = v.isArray() ? strings(v, at + "/where/" + property) : List.of(scalar(v, at + "/where/" + property));
    }
    return new Expression.Did(event, property, values, count(node, at), days(node, at));
  }

  private List<Expression> children(JsonNode value, String at, int depth) {
    if (value == null || !value.isArray() || value.isEmpty()) {
      throw PondException.invalid(at, "a non-empty array of expressions");
    }
    if (value.size() > MAX_CHILDREN) {
      throw PondException.invalid(at, "at most " + MAX_CHILDREN + " operands");
    }
    List<Expression> out = new ArrayList<>();
    Iterator<JsonNode> items = value.iterator();
    for (int i = 0; items.hasNext(); i++) {
      out.add(read(items.next(), at + "/" + i, depth + 1));
    }
    return out;
  }

  private int count(JsonNode node, String at) {
    if (!node.has("atLeast")) {
      return 1;
    }
    long n = whole(node.get("atLeast"), at + "/atLeast");
    if (n < 1 || n > 1000) {
      throw PondException.invalid(at + "/atLeast", "'atLeast' is 1-1000");
    }
    return (int) n;
  }

  private int days(JsonNode node, String at) {
    if (!node.has("inLastDays")) {
      throw PondException.invalid(at + "/inLastDays", "say over how many days, e.g. \"inLastDays\": 30");
    }
    long d = whole(node.get("inLastDays"), at + "/inLastDays");
    if (d < 1 || d > vocabulary.maxDays()) {
      throw PondException.invalid(at + "/inLastDays", "'inLastDays' is 1-" + vocabulary.maxDays() + " (pond.segment.retention-days)");
    }
    return (int) d;
  }

  private static String name(JsonNode value, String at) {
    String text = text(value, at);
    if (text.isBlank() || text.length() > 200) {
      throw PondException.invalid(at, "a name of 1-200 characters");
    }
    return text;
  }

  private static String text(JsonNode value, String at) {
    if (value == null || !value.isString()) {
      throw PondException.invalid(at, "a string");
    }
    return value.asString();
  }

  private static String scalar(JsonNode value, String at) {
    if (value == null || !(value.isString() || value.isNumber() || value.isBoolean())) {
      throw PondException.invalid(at, "a string, number or boolean");
    }
    return value.isString() ? value.asString() : value.toString();
  }

  private static List<String> strings(JsonNode value, String at) {
    if (value == null || !value.isArray() || value.isEmpty()) {
      throw PondException.invalid(at, "a non-empty array of values");
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonNode item : value) {
      out.add(scalar(item, at + "/" + i++));
    }
    return out;
  }

  private static long whole(JsonNode value, String at) {
    if (value == null || !value.isIntegralNumber()) {
      throw PondException.invalid(at, "a whole number (metrics are in fixed units: fen, counts, epoch days, per-mille)");
    }
    return value.asLong();
  }
}
