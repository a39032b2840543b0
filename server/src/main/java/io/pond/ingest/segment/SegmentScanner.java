package io.pond.ingest.segment;

import io.pond.ingest.log.CanonicalJson;
import io.pond.ingest.log.RawJsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Reads the usual Segment body without Jackson's tokenizer: the body object, the batch array and
 * each message's fields are walked over the bytes; properties, traits and context in canonical form
 * are kept as bytes ({@link RawJsonObject}), other nested values are read by Jackson
 * ({@link SegmentBody#nested}). The result is what {@link SegmentBody}'s Jackson reading gives.
 *
 * <p>Anything it does not fully recognise — a syntax error, an escape in a message-level string,
 * a non-object batch item, an unusual number, a very long name — makes it give up (null), and the
 * body is read by Jackson as before, with Jackson's answers and errors. So it accepts only bodies
 * Jackson accepts, and reads them as Jackson does.
 *
 * <p>PERF: Jackson's tokenizing of a message (a String per name and value, a context object per
 * nesting level, the skip over properties) was about a fifth of a batched event's CPU; see
 * docs/benchmarks.md, "Ingestion".
 */
final class SegmentScanner {

  private static final String[] NAMES = {"type", "event", "userId", "anonymousId", "messageId", "properties",
      "traits", "context", "timestamp", "originalTimestamp", "sentAt", "integrations", "name", "groupId",
      "previousId", "writeKey", "batch", "receivedAt", "channel", "version", "_metadata"};
  private static final byte[][] NAME_BYTES = new byte[NAMES.length][];
  private static final int MAX_NAME = 1000;
  private static final int MAX_NUMBER = 64;

  static {
    for (int i = 0; i < NAMES.length; i++) {
      NAME_BYTES[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** Gives up on the body. */
  private static final class GiveUp extends RuntimeException {
    static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super(null, null, false, false);
    }
  }

  private final SegmentBody reader;
  private final CanonicalJson canonical;

  SegmentScanner(SegmentBody reader, CanonicalJson canonical) {
    this.reader = reader;
    this.canonical = canonical;
  }

  /** The body as {@link SegmentBody#read} reads it, or null to read it with Jackson. */
  SegmentBody.Read read(byte[] body, boolean batch) {
    try {
      return new Walk(body).body(batch);
    } catch (GiveUp | IndexOutOfBoundsException | JacksonException | NumberFormatException | IllegalStateException e) {
      return null;
    }
  }

  private final class Walk {
    private final byte[] b;
    private final int end;
    private int i;

    Walk(byte[] b) {
      this.b = b;
      this.end = b.length;
    }

    SegmentBody.Read body(boolean batch) {
      ws();
      expect('{');
      Map<String, Object> top = new LinkedHashMap<>();
      List<SegmentBody.Item> items = null;
      ws();
      if (peek() == '}') {
        i++;
      } else {
        while (true) {
          ws();
          String name = name();
          ws();
          expect(':');
          ws();
          if (batch && name.equals("batch")) {
            if (peek() == '[') {
              items = items();
              top.remove("batch");
              if (next()) {
                continue;
              }
              break;
            }
            items = null; // the last "batch" wins, as in a tree
          }
          top.put(name, batch ? value() : field(name));
          if (!next()) {
            break;
          }
        }
      }
      ws();
      if (i != end) {
        throw GiveUp.INSTANCE; // trailing content: Jackson decides
      }
      return new SegmentBody.Read(top, items);
    }

    /** After a member: true at ',' (another follows), false at '}'. */
    private boolean next() {
      ws();
      byte c = b[i++];
      if (c == ',') {
        return true;
      }
      if (c == '}') {
        return false;
      }
      throw GiveUp.INSTANCE;
    }

    private List<SegmentBody.Item> items() {
      i++; // '['
      List<SegmentBody.Item> items = new ArrayList<>();
      ws();
      if (peek() == ']') {
        i++;
        return items;
      }
      while (true) {
        ws();
        if (peek() != '{') {
          throw GiveUp.INSTANCE; // not an object: refused by the mapper; Jackson reads it
        }
        int start = i;
        Map<String, Object> message = message();
        items.add(new SegmentBody.Item(message, reader.rawItem(b, start, i)));
        ws();
        byte c = b[i++];
        if (c == ']') {
          return items;
        }
        if (c != ',') {
          throw GiveUp.INSTANCE;
        }
      }
    }

    private Map<String, Object> message() {
      i++; // '{'
      Map<String, Object> map = new LinkedHashMap<>();
      ws();
      if (peek() == '}') {
        i++;
        return map;
      }
      while (true) {
        ws();
        String name = name();
        ws();
        expect(':');
        ws();
        map.put(name, field(name));
        if (!next()) {
          return map;
        }
      }
    }

    /** A message's field: properties, traits and context kept as bytes when canonical. */
    private Object field(String name) {
      if (peek() == '{' && canonical != null
          && (name.equals("properties") || name.equals("traits") || name.equals("context"))) {
        RawJsonObject raw = canonical.objectAt(b, i, end);
        if (raw != null) {
          i = raw.sourceEnd();
          return raw;
        }
      }
      return value();
    }

    private Object value() {
      byte c = peek();
      if (c == '"') {
        return string();
      }
      if (c == '{' || c == '[') {
        int start = i;
        i = skip(i);
        return reader.nested(b, start, i);
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        return number();
      }
      if (literal("true")) {
        return Boolean.TRUE;
      }
      if (literal("false")) {
        return Boolean.FALSE;
      }
      if (literal("null")) {
        return null;
      }
      throw GiveUp.INSTANCE;
    }

    private boolean literal(String word) {
      int n = word.length();
      if (i + n > end) {
        return false;
      }
      for (int k = 0; k < n; k++) {
        if (b[i + k] != word.charAt(k)) {
          return false;
        }
      }
      if (i + n < end) {
        byte after = b[i + n];
        if (!(after == ',' || after == '}' || after == ']' || isWs(after))) {
          throw GiveUp.INSTANCE;
        }
      }
      i += n;
      return true;
    }

    /** The end of the object or array at {@code at} (brackets matched outside strings; Jackson checks the rest). */
    private int skip(int at) {
      int depth = 0;
      int k = at;
      while (k < end) {
        byte c = b[k++];
        if (c == '"') {
          while (true) {
            byte s = b[k++];
            if (s == '\\') {
              k++;
            } else if (s == '"') {
              break;
            }
          }
        } else if (c == '{' || c == '[') {
          if (++depth > 64) {
            throw GiveUp.INSTANCE; // Jackson counts nesting from the body's start
          }
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return k;
          }
        }
      }
      throw GiveUp.INSTANCE;
    }

    private String name() {
      if (peek() != '"') {
        throw GiveUp.INSTANCE;
      }
      int start = i + 1;
      int close = plainStringEnd(start);
      int n = close - start;
      if (n > MAX_NAME) {
        throw GiveUp.INSTANCE;
      }
      i = close + 1;
      for (int k = 0; k < NAMES.length; k++) {
        byte[] known = NAME_BYTES[k];
        if (known.length == n && java.util.Arrays.equals(b, start, close, known, 0, n)) {
          return NAMES[k];
        }
      }
      return text(start, close);
    }

    private String string() {
      int start = i + 1;
      int close = plainStringEnd(start);
      i = close + 1;
      return text(start, close);
    }

    private boolean ascii;

    /** The closing quote of a string without escapes and in valid UTF-8 (else give up). */
    private int plainStringEnd(int start) {
      ascii = true;
      int k = start;
      while (true) {
        int c = b[k] & 0xFF;
        if (c == '"') {
          return k;
        }
        if (c == '\\' || c < 0x20) {
          throw GiveUp.INSTANCE;
        }
        if (c < 0x80) {
          k++;
        } else {
          ascii = false;
          k = utf8(k);
        }
      }
    }

    private String text(int start, int close) {
      return new String(b, start, close - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** A well-formed UTF-8 sequence: the index after it (else give up). */
    private int utf8(int k) {
      int next = CanonicalJson.utf8End(b, k, end);
      if (next < 0) {
        throw GiveUp.INSTANCE;
      }
      return next;
    }

    /** A JSON number as Jackson reads it: Integer, Long or BigInteger; Double with a fraction or exponent. */
    private Number number() {
      int start = i;
      int k = i;
      if (b[k] == '-') {
        k++;
      }
      int intStart = k;
      while (k < end && b[k] >= '0' && b[k] <= '9') {
        k++;
      }
      int intDigits = k - intStart;
      if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
        throw GiveUp.INSTANCE;
      }
      boolean floating = false;
      if (k < end && b[k] == '.') {
        floating = true;
        int f = ++k;
        while (k < end && b[k] >= '0' && b[k] <= '9') {
          k++;
        }
        if (k == f) {
          throw GiveUp.INSTANCE;
        }
      }
      if (k < end && (b[k] == 'e' || b[k] == 'E')) {
        floating = true;
        k++;
        if (k < end && (b[k] == '+' || b[k] == '-')) {
          k++;
        }
        int e = k;
        while (k < end && b[k] >= '0' && b[k] <= '9') {
          k++;
        }
        if (k == e) {
          throw GiveUp.INSTANCE;
        }
      }
      if (k - start > MAX_NUMBER || k < end && !(b[k] == ',' || b[k] == '}' || b[k] == ']' || isWs(b[k]))) {
        throw GiveUp.INSTANCE;
      }
      i = k;
      String text = new String(b, start, k - start, StandardCharsets.ISO_8859_1);
      if (floating) {
        return Double.parseDouble(text);
      }
      if (intDigits <= 9) {
        return Integer.parseInt(text);
      }
      if (intDigits <= 18) {
        long v = Long.parseLong(text);
        return v == (int) v ? (Number) (int) v : (Number) v;
      }
      BigInteger big = new BigInteger(text);
      return big.bitLength() <= 63 ? (Number) big.longValue() : big;
    }

    private byte peek() {
      if (i >= end) {
        throw GiveUp.INSTANCE;
      }
      return b[i];
    }

    private void expect(char c) {
      if (peek() != c) {
        throw GiveUp.INSTANCE;
      }
      i++;
    }

    private void ws() {
      while (i < end && isWs(b[i])) {
        i++;
      }
    }
  }

  private static boolean isWs(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
