package io.pond.identity.graph;

import io.pond.identity.LinkKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;

/**
 * The evidence log: every piece of evidence identity ever applied, in application order, in an
 * append-only file ({@code <data dir>/identity/<name>.log}). It is the source of truth: the full rebuild
 * replays it, and at start-up the tail that the OLTP checkpoint does not cover yet is applied again.
 *
 * <p>Each record is framed as {@code int length, int crc32c, payload}; a torn or corrupt tail (a crash
 * in the middle of a write) is cut off when the log is opened. {@link #append} writes a whole batch and
 * forces it to disk before returning (group commit: one fsync per batch), so evidence is durable before
 * its caller is answered.
 *
 * <p>Not thread-safe for writers: the graph's single writer appends; readers use positional reads.
 */
final class EvidenceLog implements AutoCloseable {

  /**
   * One logged piece of evidence.
   *
   * @param keys the accepted keys, highest priority first
   * @param sealed per key, the encrypted value of a personal identifier (phone, e-mail), else null —
   *     so that a replay can restore the identity map's sealed value
   * @param person the person it resolved to (for splits: the restored person), 0 if none
   */
  record Entry(long seq, LinkKind kind, Instant occurredAt, String idemKey, String source, String[] keys, String[] sealed,
      int person, String outcome, String reason, String actor) {

    String joinedKeys() {
      return String.join(String.valueOf(GraphStore.KEY_SEPARATOR), keys);
    }

    GraphStore.EvidenceRow row() {
      return new GraphStore.EvidenceRow(seq, idemKey, kind.wire(), source, occurredAt, joinedKeys(),
          person == 0 ? null : person, outcome, reason, actor);
    }
  }

  /** Receives each record with the file offset it starts at. */
  interface Reader {
    void accept(long offset, Entry entry);
  }

  private static final int HEADER = 8;
  private static final int MAX_RECORD = 16 << 20;

  private final Path path;
  private final Frames frames = new Frames(1 << 16); // reused by append (one writer at a time)
  private FileChannel channel;
  private long end;

  private EvidenceLog(Path path) {
    this.path = path;
  }

  /** Opens (or creates) the log and cuts off a torn tail. */
  static EvidenceLog open(Path path) {
    EvidenceLog log = new EvidenceLog(path);
    try {
      Files.createDirectories(path.getParent());
      log.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      long valid = log.scan(0, null);
      if (valid < log.channel.size()) {
        log.channel.truncate(valid);
        log.channel.force(true);
      }
      log.end = valid;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the identity evidence log " + path, e);
    }
    return log;
  }

  Path path() {
    return path;
  }

  /** Bytes of valid records. */
  synchronized long size() {
    return end;
  }

  /** Appends the records and forces them to disk; returns the offset of each record. */
  synchronized long[] append(List<Entry> entries) {
    long[] offsets = new long[entries.size()];
    if (entries.isEmpty()) {
      return offsets;
    }
    frames.clear();
    try {
      for (int i = 0; i < entries.size(); i++) {
        offsets[i] = end + frames.size;
        frames.frame(entries.get(i));
      }
      ByteBuffer buffer = ByteBuffer.wrap(frames.bytes, 0, frames.size);
      long position = end;
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      channel.force(false);
      end = position;
    } catch (IOException e) {
      try {
        channel.truncate(end); // nothing of a failed batch stays behind
      } catch (IOException ignored) {
        // the torn tail is cut off at the next open
      }
      throw new UncheckedIOException("cannot write the identity evidence log " + path, e);
    } finally {
      frames.shrink();
    }
    return offsets;
  }

  /** Reads every record from {@code from} in order; returns where the valid records end. */
  synchronized long scan(long from, Reader reader) {
    try {
      long size = channel.size();
      long position = from;
      // PERF: reads through a large buffer; a rebuild scans millions of records
      ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
      long chunkStart = position;
      chunk.limit(0);
      while (position + HEADER <= size) {
        if (position - chunkStart + HEADER > chunk.limit()) {
          chunkStart = position;
          chunk.clear();
          channel.read(chunk, position);
          chunk.flip();
          if (chunk.limit() < HEADER) {
            break;
          }
        }
        int at = (int) (position - chunkStart);
        int length = chunk.getInt(at);
        int crc = chunk.getInt(at + 4);
        if (length <= 0 || length > MAX_RECORD || position + HEADER + length > size) {
          break;
        }
        byte[] payload = new byte[length];
        if (at + HEADER + length <= chunk.limit()) {
          chunk.get(at + HEADER, payload);
        } else {
          ByteBuffer direct = ByteBuffer.wrap(payload);
          long p = position + HEADER;
          while (direct.hasRemaining()) {
            int n = channel.read(direct, p);
            if (n < 0) {
              break;
            }
            p += n;
          }
        }
        if (crc(payload) != crc) {
          break;
        }
        if (reader != null) {
          reader.accept(position, decode(payload));
        }
        position += HEADER + length;
      }
      return position;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the identity evidence log " + path, e);
    }
  }

  /** The record at an offset {@link #append} or {@link #scan} gave. */
  synchronized Entry read(long offset) {
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      readFully(header, offset);
      int length = header.getInt(0);
      ByteBuffer payload = ByteBuffer.allocate(length);
      readFully(payload, offset + HEADER);
      return decode(payload.array());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the identity evidence log " + path, e);
    }
  }

  private void readFully(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position);
      if (n < 0) {
        throw new IOException("unexpected end of the evidence log at " + position);
      }
      position += n;
    }
  }

  /**
   * Rewrites every record through {@code change} (key rotation, erasure) into a new file that replaces
   * this one atomically; a crash leaves either the old or the new log.
   */
  synchronized long rewrite(UnaryOperator<Entry> change) {
    Path next = path.resolveSibling(path.getFileName() + ".rewrite");
    long[] changed = {0};
    try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      Frames bytes = new Frames(1 << 20);
      scan(0, (offset, entry) -> {
        Entry e = change.apply(entry);
        if (e != entry) {
          changed[0]++;
        }
        try {
          bytes.frame(e);
          if (bytes.size > (1 << 20)) {
            writeAll(out, bytes);
          }
        } catch (IOException io) {
          throw new UncheckedIOException(io);
        }
      });
      writeAll(out, bytes);
      out.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the identity evidence log " + path, e);
    }
    try {
      channel.close();
      Files.move(next, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      end = channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace the identity evidence log " + path, e);
    }
    return changed[0];
  }

  private static void writeAll(FileChannel out, Frames bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes.bytes, 0, bytes.size);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
    bytes.clear();
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a read/append channel
    }
  }

  // ---- format ------------------------------------------------------------------------------------

  private static int crc(byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload, 0, payload.length);
    return (int) crc.getValue();
  }

  /**
   * Records framed into one growing byte array: {@code int length, int crc32c, payload}, big-endian,
   * strings as {@code int length} (-1 for null) and UTF-8 bytes. PERF: a batch is encoded in place,
   * without a stream and a byte array per record.
   */
  static final class Frames {
    private static final int KEEP = 4 << 20; // a larger buffer (a huge batch) is not kept between appends

    byte[] bytes;
    int size;

    Frames(int capacity) {
      bytes = new byte[capacity];
    }

    void clear() {
      size = 0;
    }

    void shrink() {
      if (bytes.length > KEEP) {
        bytes = new byte[1 << 16];
      }
      size = 0;
    }

    /** Appends one framed record; returns its length with the header. */
    int frame(Entry e) {
      int start = size;
      room(HEADER);
      size += HEADER;
      payload(e);
      int length = size - start - HEADER;
      CRC32C crc = new CRC32C();
      crc.update(bytes, start + HEADER, length);
      setInt(start, length);
      setInt(start + 4, (int) crc.getValue());
      return size - start;
    }

    private void payload(Entry e) {
      room(1);
      bytes[size++] = 1; // format version
      putLong(e.seq());
      putString(e.kind().wire());
      putLong(e.occurredAt().getEpochSecond());
      putInt(e.occurredAt().getNano());
      putString(e.idemKey());
      putString(e.source());
      putInt(e.person());
      putString(e.outcome());
      putString(e.reason());
      putString(e.actor());
      putInt(e.keys().length);
      for (int i = 0; i < e.keys().length; i++) {
        putString(e.keys()[i]);
        putString(e.sealed() == null ? null : e.sealed()[i]);
      }
    }

    private void room(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
      }
    }

    private void putInt(int v) {
      room(4);
      setInt(size, v);
      size += 4;
    }

    private void putLong(long v) {
      room(8);
      setInt(size, (int) (v >>> 32));
      setInt(size + 4, (int) v);
      size += 8;
    }

    private void setInt(int at, int v) {
      bytes[at] = (byte) (v >>> 24);
      bytes[at + 1] = (byte) (v >>> 16);
      bytes[at + 2] = (byte) (v >>> 8);
      bytes[at + 3] = (byte) v;
    }

    private void putString(String s) {
      if (s == null) {
        putInt(-1);
        return;
      }
      int n = s.length();
      room(4 + n);
      int at = size + 4;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) { // not ASCII: the general UTF-8 encoding
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          putInt(b.length);
          room(b.length);
          System.arraycopy(b, 0, bytes, size, b.length);
          size += b.length;
          return;
        }
        bytes[at + i] = (byte) c; // ASCII is its own UTF-8
      }
      setInt(size, n);
      size = at + n;
    }
  }

  /** The payload of one record (without the frame header). */
  static byte[] encode(Entry e) {
    Frames f = new Frames(128);
    f.frame(e);
    return Arrays.copyOfRange(f.bytes, HEADER, f.size);
  }

  static Entry decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    byte version = in.get();
    if (version != 1) {
      throw new IllegalStateException("unknown evidence log record version " + version);
    }
    long seq = in.getLong();
    LinkKind kind = LinkKind.fromWire(string(in));
    Instant at = Instant.ofEpochSecond(in.getLong(), in.getInt());
    String idemKey = string(in);
    String source = string(in);
    int person = in.getInt();
    String outcome = string(in);
    String reason = string(in);
    String actor = string(in);
    int n = in.getInt();
    String[] keys = new String[n];
    String[] sealed = new String[n];
    boolean anySealed = false;
    for (int i = 0; i < n; i++) {
      keys[i] = string(in);
      sealed[i] = string(in);
      anySealed |= sealed[i] != null;
    }
    return new Entry(seq, kind, at, idemKey, source, keys, anySealed ? sealed : null, person, outcome, reason, actor);
  }

  private static String string(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return s;
  }
}
