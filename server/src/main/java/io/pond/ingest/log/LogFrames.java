package io.pond.ingest.log;

import io.pond.ingest.EventEnvelope;
import io.pond.platform.Identifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The binary frames of the event log's segment files.
 *
 * <p>A frame is {@code [int bodyLength][int crc32c(body)][body]}, the body starting with its kind.
 * Offsets are not stored: the n-th event frame of the log is offset n, so a request thread can
 * encode its events (and their checksums) before the writer decides their offsets.
 *
 * <ul>
 *   <li>{@link #EVENT}: dedup hash, source, messageId, protocol, type, event, ts, receivedAt, link,
 *       the JSON columns (identifiers, previous, properties, traits, context) and the identifiers as
 *       (type, scope, value) tuples for the identifier index (actor identifiers, then previous);
 *   <li>{@link #DEAD_LETTER}: source, protocol, receivedAt, reason, field, detail, raw;
 *   <li>{@link #DUPLICATES}: source, count;
 *   <li>{@link #COMMIT}: the end of one group commit: a reader after a crash keeps the log up to the
 *       last one, so a group is all there or not at all;
 *   <li>{@link #ROLL}: the log continues in the next segment file.
 * </ul>
 */
final class LogFrames {

  static final byte EVENT = 1;
  static final byte DEAD_LETTER = 2;
  static final byte DUPLICATES = 3;
  static final byte COMMIT = 4;
  static final byte ROLL = 5;
  static final int HEADER = 8;
  /** Larger than any legal frame (an event ≤ 32 KB, a raw dead letter ≤ the 500 KB request limit). */
  static final int MAX_BODY = 16 << 20;

  private LogFrames() {}

  /** An event's frame and its stored size (as the per-event limit counts it). */
  record EventFrame(byte[] frame, int storedBytes) {}

  /**
   * The event's frame; the JSON columns are written by {@code columns} straight into it, then
   * {@code indexed} (its identifiers, then previous) as the identifier index stores them (personal
   * values as keyed hashes, {@link EventPii}). The stored size is the UTF-8 size of messageId, type,
   * event and the JSON columns.
   */
  static EventFrame event(EventEnvelope env, long dedupHash, JsonColumns columns, List<Identifier> indexed) {
    Writer w = new Writer(256 + 2 * env.messageId().length() + 48 * env.identifiers().size()
        + sizeHint(env.properties()) + sizeHint(env.traits()) + sizeHint(env.context()));
    w.kind(EVENT);
    w.putLong(dedupHash);
    w.putLong(env.sourceId());
    int stored = w.putString(env.messageId());
    w.putString(env.protocol());
    stored += w.putString(env.type());
    stored += w.putString(env.event());
    w.putLong(micros(env.timestamp()));
    w.putLong(micros(env.receivedAt()));
    w.putString(env.link().name());
    stored += w.putJson(env.identifiers(), columns);
    if (env.previous() == null) {
      w.putInt(-1);
    } else {
      stored += w.putJson(env.previous(), columns);
    }
    stored += w.putJsonObject(env.properties(), columns);
    stored += w.putJsonObject(env.traits(), columns);
    stored += w.putJsonObject(env.context(), columns);
    w.putInt(indexed.size());
    for (Identifier id : indexed) {
      w.putString(id.type());
      w.putString(id.scope());
      w.putString(id.value());
    }
    return new EventFrame(w.frame(), stored);
  }

  /** PERF: a raw object's length, without parsing it for its size. */
  private static int sizeHint(java.util.Map<String, Object> m) {
    if (m instanceof RawJsonObject raw && raw.rawLength() >= 0) {
      return raw.rawLength();
    }
    return 48 * m.size();
  }

  static byte[] deadLetter(DeadLetter d) {
    Writer w = new Writer(128 + d.raw().length() + d.rejection().detail().length());
    w.kind(DEAD_LETTER);
    w.putLong(d.sourceId());
    w.putString(d.protocol());
    w.putLong(micros(d.receivedAt()));
    w.putString(d.rejection().reason());
    w.putString(d.rejection().field());
    w.putString(d.rejection().detail());
    w.putString(d.raw());
    return w.frame();
  }

  static byte[] duplicates(long sourceId, long n) {
    Writer w = new Writer(24);
    w.kind(DUPLICATES);
    w.putLong(sourceId);
    w.putLong(n);
    return w.frame();
  }

  static final byte[] COMMIT_FRAME = marker(COMMIT);
  static final byte[] ROLL_FRAME = marker(ROLL);

  private static byte[] marker(byte kind) {
    Writer w = new Writer(1);
    w.kind(kind);
    return w.frame();
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  // --- writing ---------------------------------------------------------------------------------------

  /** Builds one frame: the header is filled in by {@link #frame()}. */
  static final class Writer {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private byte[] buf;
    private int pos = HEADER;

    Writer(int hint) {
      buf = new byte[Math.max(64, hint + HEADER)];
    }

    int position() {
      return pos;
    }

    byte[] buffer() {
      return buf;
    }

    void reset(int position) {
      pos = position;
    }

    void kind(byte k) {
      ensure(1);
      buf[pos++] = k;
    }

    void putByte(char c) {
      ensure(1);
      buf[pos++] = (byte) c;
    }

    void putInt(int v) {
      ensure(4);
      buf[pos++] = (byte) (v >>> 24);
      buf[pos++] = (byte) (v >>> 16);
      buf[pos++] = (byte) (v >>> 8);
      buf[pos++] = (byte) v;
    }

    void putLong(long v) {
      putInt((int) (v >>> 32));
      putInt((int) v);
    }

    void putBytes(byte[] b) {
      putBytes(b, 0, b.length);
    }

    void putBytes(byte[] b, int offset, int length) {
      ensure(length);
      System.arraycopy(b, offset, buf, pos, length);
      pos += length;
    }

    /** A string known to be ASCII (numbers, literals), without a length. */
    @SuppressWarnings("deprecation")
    void putAscii(String s) {
      int n = s.length();
      ensure(n);
      s.getBytes(0, n, buf, pos);
      pos += n;
    }

    /** A length-prefixed UTF-8 string (-1 for null); returns its encoded length (0 for null). */
    @SuppressWarnings("deprecation")
    int putString(String s) {
      if (s == null) {
        putInt(-1);
        return 0;
      }
      // PERF: ASCII strings (most keys, ids and JSON) are copied without an encoder
      int n = s.length();
      boolean ascii = true;
      for (int i = 0; i < n; i++) {
        if (s.charAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        putInt(n);
        ensure(n);
        s.getBytes(0, n, buf, pos);
        pos += n;
        return n;
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      putInt(b.length);
      putBytes(b);
      return b.length;
    }

    /** A length-prefixed JSON value written by {@code columns}; returns its length. */
    int putJson(Object value, JsonColumns columns) {
      int at = pos;
      putInt(0);
      int n = columns.write(this, value);
      buf[at] = (byte) (n >>> 24);
      buf[at + 1] = (byte) (n >>> 16);
      buf[at + 2] = (byte) (n >>> 8);
      buf[at + 3] = (byte) n;
      return n;
    }

    /** A JSON object column: {@code {}} when empty. */
    int putJsonObject(java.util.Map<String, Object> map, JsonColumns columns) {
      if (map.isEmpty()) {
        putInt(2);
        putAscii("{}");
        return 2;
      }
      return putJson(map, columns);
    }

    /**
     * A JSON string literal in UTF-8, escaped as Jackson escapes: {@code "} and {@code \}, the
     * control characters (short forms for b f n r t, else u00XX). A lone surrogate
     * becomes {@code ?}, as String.getBytes writes it.
     */
    void putJsonString(String s) {
      int n = s.length();
      ensure(n + 2);
      buf[pos++] = '"';
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
          if (pos == buf.length) {
            ensure(1);
          }
          buf[pos++] = (byte) c;
          continue;
        }
        ensure(6 + (n - i));
        if (c < 0x80) {
          buf[pos++] = '\\';
          switch (c) {
            case '"' -> buf[pos++] = '"';
            case '\\' -> buf[pos++] = '\\';
            case '\b' -> buf[pos++] = 'b';
            case '\f' -> buf[pos++] = 'f';
            case '\n' -> buf[pos++] = 'n';
            case '\r' -> buf[pos++] = 'r';
            case '\t' -> buf[pos++] = 't';
            default -> {
              buf[pos++] = 'u';
              buf[pos++] = '0';
              buf[pos++] = '0';
              buf[pos++] = HEX[c >> 4];
              buf[pos++] = HEX[c & 0xF];
            }
          }
        } else if (c < 0x800) {
          buf[pos++] = (byte) (0xC0 | (c >> 6));
          buf[pos++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          buf[pos++] = (byte) (0xF0 | (cp >> 18));
          buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          buf[pos++] = (byte) (0x80 | (cp & 0x3F));
        } else if (Character.isSurrogate(c)) {
          buf[pos++] = '?';
        } else {
          buf[pos++] = (byte) (0xE0 | (c >> 12));
          buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
          buf[pos++] = (byte) (0x80 | (c & 0x3F));
        }
      }
      ensure(1);
      buf[pos++] = '"';
    }

    private void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    byte[] frame() {
      int length = pos - HEADER;
      CRC32C crc = new CRC32C();
      crc.update(buf, HEADER, length);
      ByteBuffer.wrap(buf, 0, HEADER).putInt(length).putInt((int) crc.getValue());
      return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }
  }

  // --- reading ---------------------------------------------------------------------------------------

  /**
   * The length of the whole frame starting at {@code at} in {@code b} (whose limit is the end of
   * the data read), 0 when the frame is not complete in the buffer, or -1 when it is corrupt (a
   * torn write: the log ends before it).
   */
  static int check(ByteBuffer b, int at) {
    if (b.limit() - at < HEADER) {
      return 0;
    }
    int length = b.getInt(at);
    if (length < 1 || length > MAX_BODY) {
      return -1;
    }
    if (b.limit() - at - HEADER < length) {
      return 0;
    }
    CRC32C crc = new CRC32C();
    ByteBuffer body = b.duplicate().position(at + HEADER).limit(at + HEADER + length);
    crc.update(body);
    return (int) crc.getValue() == b.getInt(at + 4) ? HEADER + length : -1;
  }

  /** A cursor over one checked frame's body. */
  static final class Reader {
    private final ByteBuffer b;
    private int pos;

    Reader(ByteBuffer b, int frameStart) {
      this.b = b;
      this.pos = frameStart + HEADER;
    }

    byte kind() {
      return b.get(pos++);
    }

    long getLong() {
      long v = b.getLong(pos);
      pos += 8;
      return v;
    }

    int getInt() {
      int v = b.getInt(pos);
      pos += 4;
      return v;
    }

    String getString() {
      int n = getInt();
      if (n < 0) {
        return null;
      }
      String s;
      if (b.hasArray()) {
        s = new String(b.array(), b.arrayOffset() + pos, n, StandardCharsets.UTF_8);
      } else {
        byte[] bytes = new byte[n];
        b.get(pos, bytes);
        s = new String(bytes, StandardCharsets.UTF_8);
      }
      pos += n;
      return s;
    }

    /** A string's UTF-8 bytes (null for a null string). */
    byte[] getBytes() {
      int n = getInt();
      if (n < 0) {
        return null;
      }
      byte[] bytes = new byte[n];
      b.get(pos, bytes);
      pos += n;
      return bytes;
    }

    /** Skips a string, returning its encoded bytes' position and length for direct copies. */
    void skipString() {
      int n = getInt();
      if (n > 0) {
        pos += n;
      }
    }
  }
}
