package io.pond.ingest.log;

import io.pond.platform.Identifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an event's JSON columns (identifiers, previous, properties, traits, context) as UTF-8
 * straight into its log frame, the same bytes as the application's {@link JsonMapper} writes.
 *
 * <p>PERF: Jackson cost a generator, a buffer from its recycler pool and a String per column
 * (five per event), and the String was then encoded again into the frame: about a third of the
 * CPU of a batched request (see docs/benchmarks.md, "Ingestion"). The envelope's values are plain
 * JSON values (maps, lists, strings, numbers, booleans, null, identifiers), which this writes
 * directly. Whether the mapper drops null map values (Spring's {@code default-property-inclusion})
 * is found out by asking it once; should the mapper write any probe differently, or a value be of
 * another type, the mapper itself writes it.
 */
final class JsonColumns {

  private static volatile JsonColumns last;

  private final JsonMapper json;
  private final boolean suppressNullMapValues;
  private final boolean direct;

  private JsonColumns(JsonMapper json) {
    this.json = json;
    this.suppressNullMapValues = json.writeValueAsString(withNull()).equals("{\"a\":1}");
    this.direct = agrees();
    if (!direct) {
      LoggerFactory.getLogger(JsonColumns.class)
          .warn("The JSON mapper writes values differently from the event log's direct writer; it writes them itself (slower)");
    }
  }

  /** Whether values are written directly (else by the mapper). */
  boolean direct() {
    return direct;
  }

  /** Whether the mapper leaves null map values out. */
  boolean suppressesNullMapValues() {
    return suppressNullMapValues;
  }

  /** A string as a JSON literal in UTF-8, as the columns write it (quotes included). */
  static byte[] canonicalString(String s) {
    LogFrames.Writer w = new LogFrames.Writer(s.length() + 2);
    int start = w.position();
    w.putJsonString(s);
    return Arrays.copyOfRange(w.buffer(), start, w.position());
  }

  /** The writer for this mapper (cached: there is one application mapper). */
  static JsonColumns of(JsonMapper json) {
    JsonColumns c = last;
    if (c == null || c.json != json) {
      c = new JsonColumns(json);
      last = c;
    }
    return c;
  }

  private static Map<String, Object> withNull() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", 1);
    m.put("b", null);
    return m;
  }

  /** Whether the direct writing gives the mapper's bytes for values of every kind. */
  private boolean agrees() {
    Map<String, Object> probe = new LinkedHashMap<>();
    probe.put("s", "a \"quoted\" \\ back/slash \b\f\n\r\t \u0001\u001f\u007f é 中文 😀");
    probe.put("i", 42);
    probe.put("l", -9_007_199_254_740_993L);
    probe.put("d", 19.9);
    probe.put("d2", 1.0E10);
    probe.put("d3", 1.0E-7);
    probe.put("d4", -0.0);
    probe.put("f", 1.5f);
    probe.put("bd", new BigDecimal("12345678901234567890.123456789"));
    probe.put("bd2", new BigDecimal("1E+3"));
    probe.put("bi", new BigInteger("123456789012345678901234567890"));
    probe.put("t", true);
    probe.put("n", null);
    probe.put("e", "");
    probe.put("em", new LinkedHashMap<>());
    probe.put("el", new ArrayList<>());
    probe.put("list", Arrays.asList(1, null, "x", List.of(), Map.of("k", 2.5)));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("x", null);
    nested.put("ké\n", "v");
    probe.put("m", nested);
    List<Object> probes = List.of(probe, List.of(Identifier.global("anonymous_id", "a"),
        Identifier.scoped("wechat_openid", "wx1", "o-\"1\"")), Identifier.global("login_id", "u"));
    for (Object p : probes) {
      LogFrames.Writer w = new LogFrames.Writer(64);
      int start = w.position();
      if (!writeDirect(w, p)) {
        return false;
      }
      if (!Arrays.equals(Arrays.copyOfRange(w.buffer(), start, w.position()), json.writeValueAsBytes(p))) {
        return false;
      }
    }
    return true;
  }

  /** Writes {@code value} as JSON into the frame; returns the number of bytes written. */
  int write(LogFrames.Writer w, Object value) {
    int start = w.position();
    // PERF: an object received in canonical form is copied as it came (see CanonicalJson)
    if (value instanceof RawJsonObject raw && raw.writeTo(w)) {
      return w.position() - start;
    }
    if (direct && writeDirect(w, value)) {
      return w.position() - start;
    }
    w.reset(start);
    w.putBytes(json.writeValueAsBytes(value));
    return w.position() - start;
  }

  /**
   * False when a value is of a type this does not write (the caller falls back to the mapper).
   * PERF: an instanceof chain, most frequent types first: a pattern switch over these types
   * (SwitchBootstraps.typeSwitch) showed as much CPU as the writing itself.
   */
  private boolean writeDirect(LogFrames.Writer w, Object v) {
    if (v instanceof String s) {
      w.putJsonString(s);
    } else if (v instanceof Map<?, ?> m) {
      if (m instanceof RawJsonObject raw && raw.writeTo(w)) {
        return true;
      }
      return writeMap(w, m);
    } else if (v instanceof Identifier id) {
      w.putAscii("{\"type\":");
      w.putJsonString(id.type());
      w.putAscii(",\"scope\":");
      w.putJsonString(id.scope());
      w.putAscii(",\"value\":");
      w.putJsonString(id.value());
      w.putByte('}');
    } else if (v instanceof List<?> l) {
      w.putByte('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          w.putByte(',');
        }
        if (!writeDirect(w, l.get(i))) {
          return false;
        }
      }
      w.putByte(']');
    } else if (v instanceof Double d) {
      if (!Double.isFinite(d)) {
        return false;
      }
      w.putAscii(Double.toString(d));
    } else if (v instanceof Integer i) {
      w.putAscii(Integer.toString(i));
    } else if (v instanceof Long l) {
      w.putAscii(Long.toString(l));
    } else if (v instanceof Boolean b) {
      w.putAscii(b ? "true" : "false");
    } else if (v == null) {
      w.putAscii("null");
    } else if (v instanceof BigDecimal d) {
      w.putAscii(d.toString());
    } else if (v instanceof BigInteger i) {
      w.putAscii(i.toString());
    } else if (v instanceof Float f) {
      if (!Float.isFinite(f)) {
        return false;
      }
      w.putAscii(Float.toString(f));
    } else {
      return false;
    }
    return true;
  }

  private boolean writeMap(LogFrames.Writer w, Map<?, ?> m) {
    w.putByte('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        return false;
      }
      Object value = e.getValue();
      if (value == null && suppressNullMapValues) {
        continue;
      }
      if (!first) {
        w.putByte(',');
      }
      first = false;
      w.putJsonString(key);
      w.putByte(':');
      if (!writeDirect(w, value)) {
        return false;
      }
    }
    w.putByte('}');
    return true;
  }
}
