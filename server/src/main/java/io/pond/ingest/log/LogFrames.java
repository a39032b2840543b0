package io.pond.ingest.log;

import io.pond.ingest.EventEnvelope;
import io.pond.platform.Identifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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

  static byte[] event(EncodedEventParts e, long dedupHash) {
    Writer w = new Writer(256 + e.sizeHint());
    w.kind(EVENT);
    EventEnvelope env = e.envelope();
    w.putLong(dedupHash);
    w.putLong(env.sourceId());
    w.putString(env.messageId());
    w.putString(env.protocol());
    w.putString(env.type());
    w.putString(env.event());
    w.putLong(micros(env.timestamp()));
    w.putLong(micros(env.receivedAt()));
    w.putString(env.link().name());
    w.putString(e.identifiers());
    w.putString(e.previous());
    w.putString(e.properties());
    w.putString(e.traits());
    w.putString(e.context());
    int n = env.identifiers().size() + (env.previous() == null ? 0 : 1);
    w.putInt(n);
    for (Identifier id : env.identifiers()) {
      w.putString(id.type());
      w.putString(id.scope());
      w.putString(id.value());
    }
    if (env.previous() != null) {
      w.putString(env.previous().type());
      w.putString(env.previous().scope());
      w.putString(env.previous().value());
    }
    return w.frame();
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

  /** What {@link #event} needs of an encoded event. */
  interface EncodedEventParts {
    EventEnvelope envelope();

    String identifiers();

    String previous();

    String properties();

    String traits();

    String context();

    default int sizeHint() {
      return properties().length() + traits().length() + context().length() + identifiers().length() + 64;
    }
  }

  // --- writing ---------------------------------------------------------------------------------------

  private static final class Writer {
    private byte[] buf;
    private int pos = HEADER;

    Writer(int hint) {
      buf = new byte[Math.max(64, hint + HEADER)];
    }

    void kind(byte k) {
      ensure(1);
      buf[pos++] = k;
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

    void putString(String s) {
      if (s == null) {
        putInt(-1);
        return;
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
      } else {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
      }
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

    /** Skips a string, returning its encoded bytes' position and length for direct copies. */
    void skipString() {
      int n = getInt();
      if (n > 0) {
        pos += n;
      }
    }
  }
}
