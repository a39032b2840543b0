package io.pond.ingest.log;

import io.pond.platform.pii.PersonalTraits;
import java.util.Arrays;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells whether the bytes of a received JSON object are already exactly what the event log would
 * write for it (the application's mapper's output for the parsed value, see {@link JsonColumns}),
 * so that they can be stored as they are ({@link RawJsonObject}).
 *
 * <p>The canonical form: no whitespace; strings in valid UTF-8 (no encoded surrogates) with only
 * the escapes the writer makes ({@code \" \\ \b \f \n \r \t}, {@code \\u00XX} (upper-case hex) for the
 * other control characters) and every control character escaped; integers without a sign on zero;
 * decimals as {@link Double#toString} writes them; no key twice in an object; no null object values
 * when the mapper leaves them out. Anything else — and anything this does not recognise, including
 * invalid JSON — is "not canonical", and the caller parses the object as before. PERF: this walks
 * the bytes once, without making a String or a number (see docs/benchmarks.md, "Ingestion").
 */
public final class CanonicalJson {

  private static final int MAX_DEPTH = 32;
  private static final int MAX_KEYS = 256;
  private static final int MAX_NUMBER = 64;

  private final JsonMapper json;
  private final boolean enabled;
  private final boolean nullValuesDropped;

  private CanonicalJson(JsonMapper json) {
    this.json = json;
    JsonColumns columns = JsonColumns.of(json);
    this.nullValuesDropped = columns.suppressesNullMapValues();
    this.enabled = columns.direct()
        && !json.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        && !json.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
        && !json.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS);
  }

  public static CanonicalJson of(JsonMapper json) {
    return new CanonicalJson(json);
  }

  /**
   * The object in {@code b[start, end)} kept as bytes, or null when they are not in canonical form
   * (or not one well-formed object).
   */
  public RawJsonObject object(byte[] b, int start, int end) {
    if (!enabled || end - start < 2 || b[start] != '{') {
      return null;
    }
    Scan s = new Scan(b, end, nullValuesDropped);
    if (s.object(start, 0) != end) {
      return null;
    }
    return new RawJsonObject(json, b, start, end - start);
  }

  /**
   * The canonical object starting at {@code b[start]} and ending before {@code limit}, kept as
   * bytes; null when it is not canonical. {@link RawJsonObject#sourceEnd()} says where it ends.
   */
  public RawJsonObject objectAt(byte[] b, int start, int limit) {
    if (!enabled || limit - start < 2 || b[start] != '{') {
      return null;
    }
    int end = new Scan(b, limit, nullValuesDropped).object(start, 0);
    return end < 0 ? null : new RawJsonObject(json, b, start, end - start);
  }

  /**
   * Whether the canonical object {@code b[offset, offset+length)} has {@code key} at its top level
   * (true, too, for an object nested deeper than {@link #KEY_SCAN_DEPTH}: the caller then parses it).
   */
  static boolean hasTopLevelKey(byte[] b, int offset, int length, String key) {
    byte[] k = JsonColumns.canonicalString(key); // with its quotes
    return hasKey(b, offset, length,
        (from, n, depth) -> depth == 1 && n + 2 == k.length && Arrays.equals(b, from - 1, from + n + 1, k, 0, k.length));
  }

  /**
   * Whether a key of the object, at any depth, is personal ({@link PersonalTraits#matches(byte[], int,
   * int, boolean)}; true, too, for an object nested deeper than {@link #KEY_SCAN_DEPTH}: the caller then
   * parses it and looks key by key).
   */
  static boolean hasPersonalKey(byte[] b, int offset, int length, PersonalTraits keys) {
    return hasKey(b, offset, length, (from, n, depth) -> keys.matches(b, from, n, depth > 1));
  }

  /** A test of an object key's bytes (without its quotes) at {@code from}, {@code n} bytes long; the top object is depth 1. */
  private interface KeyTest {
    boolean matches(int from, int n, int depth);
  }

  /** The deepest nesting {@link #hasKey} follows (one bit per level in a long). */
  private static final int KEY_SCAN_DEPTH = 62;

  /** Whether {@code test} matches a key of the object at any depth. PERF: no allocation. */
  private static boolean hasKey(byte[] b, int offset, int length, KeyTest test) {
    int end = offset + length;
    long objects = 0; // bit d: the container at depth d is an object (not a list)
    int depth = 0;
    boolean expectKey = false;
    for (int i = offset; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        int close = stringEnd(b, i);
        if (expectKey && test.matches(i + 1, close - i - 1, depth)) {
          return true;
        }
        i = close;
        expectKey = false;
      } else if (c == '{' || c == '[') {
        if (++depth > KEY_SCAN_DEPTH) {
          return true;
        }
        objects = c == '{' ? objects | 1L << depth : objects & ~(1L << depth);
        expectKey = c == '{';
      } else if (c == '}' || c == ']') {
        depth--;
      } else if (c == ',') {
        expectKey = (objects >>> depth & 1) != 0;
      }
    }
    return false;
  }

  /** The index of the closing quote of the (valid) string opening at {@code at}. */
  private static int stringEnd(byte[] b, int at) {
    int i = at + 1;
    while (b[i] != '"') {
      i += b[i] == '\\' ? 2 : 1;
    }
    return i;
  }

  /**
   * The index just after the well-formed UTF-8 sequence of 2–4 bytes starting at {@code b[i]} (no
   * overlong form, no surrogate, ≤ U+10FFFF) and ending before {@code end}; -1 when it is not one.
   */
  public static int utf8End(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) {
        lo = 0xA0;
      } else if (c == 0xED) {
        hi = 0x9F;
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) {
        lo = 0x90;
      } else if (c == 0xF4) {
        hi = 0x8F;
      }
    } else {
      return -1;
    }
    if (i + n >= end) {
      return -1;
    }
    int c1 = b[i + 1] & 0xFF;
    if (c1 < lo || c1 > hi) {
      return -1;
    }
    for (int k = 2; k <= n; k++) {
      int ck = b[i + k] & 0xFF;
      if (ck < 0x80 || ck > 0xBF) {
        return -1;
      }
    }
    return i + n + 1;
  }

  /** One check: each method returns the index just after the value, or -1 if not canonical. */
  private static final class Scan {
    private final byte[] b;
    private final int end;
    private final boolean nullValuesDropped;
    private int[] keys = new int[32]; // (start, end) pairs of the keys of the objects open

    Scan(byte[] b, int end, boolean nullValuesDropped) {
      this.b = b;
      this.end = end;
      this.nullValuesDropped = nullValuesDropped;
    }

    int value(int i, int depth, int keyTop) {
      if (i >= end) {
        return -1;
      }
      byte c = b[i];
      if (c == '"') {
        return string(i);
      } else if (c == '{') {
        return object(i, depth + 1, keyTop);
      } else if (c == '[') {
        return array(i, depth + 1, keyTop);
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        return number(i);
      } else if (c == 't') {
        return literal(i, "true");
      } else if (c == 'f') {
        return literal(i, "false");
      } else if (c == 'n') {
        return literal(i, "null");
      }
      return -1;
    }

    int object(int i, int depth) {
      return object(i, depth, 0);
    }

    /** Keys of enclosing objects are on {@code keys[0, keyTop)}; this object's go above them. */
    private int object(int i, int depth, int keyTop) {
      if (depth > MAX_DEPTH) {
        return -1;
      }
      i++; // '{'
      if (i < end && b[i] == '}') {
        return i + 1;
      }
      int top = keyTop;
      while (true) {
        if (i >= end || b[i] != '"') {
          return -1;
        }
        int keyEnd = string(i);
        if (keyEnd < 0 || keyEnd >= end || b[keyEnd] != ':') {
          return -1;
        }
        // a key twice: the parsed map keeps one, so the bytes are not what it writes
        for (int k = keyTop; k < top; k += 2) {
          if (keys[k + 1] - keys[k] == keyEnd - i && Arrays.equals(b, keys[k], keys[k + 1], b, i, keyEnd)) {
            return -1;
          }
        }
        if (top - keyTop >= 2 * MAX_KEYS) {
          return -1;
        }
        if (top + 2 > keys.length) {
          keys = Arrays.copyOf(keys, keys.length * 2);
        }
        keys[top] = i;
        keys[top + 1] = keyEnd;
        top += 2;
        i = keyEnd + 1;
        if (nullValuesDropped && i < end && b[i] == 'n') {
          return -1;
        }
        i = value(i, depth, top);
        if (i < 0 || i >= end) {
          return -1;
        }
        if (b[i] == '}') {
          return i + 1;
        }
        if (b[i] != ',') {
          return -1;
        }
        i++;
      }
    }

    private int array(int i, int depth, int keyTop) {
      if (depth > MAX_DEPTH) {
        return -1;
      }
      i++; // '['
      if (i < end && b[i] == ']') {
        return i + 1;
      }
      while (true) {
        i = value(i, depth, keyTop);
        if (i < 0 || i >= end) {
          return -1;
        }
        if (b[i] == ']') {
          return i + 1;
        }
        if (b[i] != ',') {
          return -1;
        }
        i++;
      }
    }

    private int literal(int i, String word) {
      int n = word.length();
      if (i + n > end) {
        return -1;
      }
      for (int k = 0; k < n; k++) {
        if (b[i + k] != word.charAt(k)) {
          return -1;
        }
      }
      return i + n;
    }

    /** A string as the writer escapes it (see LogFrames.Writer#putJsonString). */
    private int string(int i) {
      i++; // '"'
      while (i < end) {
        int c = b[i] & 0xFF;
        if (c == '"') {
          return i + 1;
        }
        if (c >= 0x20 && c < 0x80 && c != '\\') {
          i++;
        } else if (c == '\\') {
          if (i + 1 >= end) {
            return -1;
          }
          byte e = b[i + 1];
          if (e == '"' || e == '\\' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
            i += 2;
          } else if (e == 'u') {
            // only backslash-u-00XX (upper-case hex) for a control character without a short form
            if (i + 6 > end || b[i + 2] != '0' || b[i + 3] != '0') {
              return -1;
            }
            int hi = b[i + 4];
            int lo = b[i + 5];
            if (hi != '0' && hi != '1') {
              return -1;
            }
            int low = lo >= '0' && lo <= '9' ? lo - '0' : lo >= 'A' && lo <= 'F' ? lo - 'A' + 10 : -1;
            if (low < 0) {
              return -1;
            }
            int ch = (hi - '0') << 4 | low;
            if (ch == '\b' || ch == '\f' || ch == '\n' || ch == '\r' || ch == '\t') {
              return -1;
            }
            i += 6;
          } else {
            return -1;
          }
        } else if (c < 0x20) {
          return -1;
        } else {
          i = utf8End(b, i, end);
          if (i < 0) {
            return -1;
          }
        }
      }
      return -1;
    }


    /**
     * An integer as Integer/Long/BigInteger.toString writes it, or a decimal as Double.toString
     * writes the double it parses to.
     */
    private int number(int start) {
      int i = start;
      boolean negative = b[i] == '-';
      if (negative) {
        i++;
      }
      int intStart = i;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      int intDigits = i - intStart;
      if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
        return -1;
      }
      boolean fraction = i < end && b[i] == '.';
      boolean exponent = false;
      int fracStart = -1;
      int fracDigits = 0;
      if (fraction) {
        i++;
        fracStart = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
          i++;
        }
        fracDigits = i - fracStart;
        if (fracDigits == 0) {
          return -1;
        }
      }
      if (i < end && (b[i] == 'e' || b[i] == 'E')) {
        exponent = true;
        i++;
        if (i < end && (b[i] == '+' || b[i] == '-')) {
          i++;
        }
        int expStart = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
          i++;
        }
        if (i == expStart) {
          return -1;
        }
      }
      if (i - start > MAX_NUMBER) {
        return -1;
      }
      if (!fraction && !exponent) {
        // "-0" parses to the integer 0, written "0"
        return negative && intDigits == 1 && b[intStart] == '0' ? -1 : i;
      }
      if (!exponent && plainDecimal(intStart, intDigits, fracStart, fracDigits)) {
        return i;
      }
      String text = new String(b, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
      try {
        double d = Double.parseDouble(text);
        return Double.isFinite(d) && Double.toString(d).equals(text) ? i : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    /**
     * PERF: whether a decimal without exponent is what Double.toString writes, without parsing
     * it: at most 15 significant digits (so no shorter decimal gives the same double), no trailing
     * zero but a lone ".0", and a magnitude Double.toString writes without exponent (1e-3 ≤ |x| <
     * 1e7, or zero).
     */
    private boolean plainDecimal(int intStart, int intDigits, int fracStart, int fracDigits) {
      boolean zeroInt = intDigits == 1 && b[intStart] == '0';
      boolean loneZeroFraction = fracDigits == 1 && b[fracStart] == '0';
      if (!loneZeroFraction && b[fracStart + fracDigits - 1] == '0') {
        return false;
      }
      if (zeroInt) {
        if (loneZeroFraction) {
          return true; // 0.0 and -0.0
        }
        int leadingZeros = 0;
        while (leadingZeros < fracDigits && b[fracStart + leadingZeros] == '0') {
          leadingZeros++;
        }
        return leadingZeros <= 2 && fracDigits - leadingZeros <= 15;
      }
      if (intDigits > 7) {
        return false;
      }
      return intDigits + (loneZeroFraction ? 0 : fracDigits) <= 15;
    }
  }
}
