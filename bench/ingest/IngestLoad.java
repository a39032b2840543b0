// Load generator for the ingestion benchmark (run by bench/ingest/run.sh in its own JVM):
//   java IngestLoad.java URL WRITE_KEY TOTAL_EVENTS MAX_SECONDS CONCURRENCY EVENTS_PER_REQUEST [LOOP_THREADS]
// After a 2 s warm-up, sends Segment /v1/batch requests (unique messageIds) over CONCURRENCY HTTP/1.1
// keep-alive connections until TOTAL_EVENTS events were acknowledged or MAX_SECONDS passed, and prints
// one line: requests/s, events/s, p50/p99 latency in ms, errors, and the events acknowledged in all.
//
// A lean client in the spirit of wrk, so that the client costs little of the 2 cores it shares with
// the server: LOOP_THREADS (default 1) non-blocking selector loops own the connections; each
// connection has exactly one request outstanding (no pipelining); a request's bytes are built once
// per connection and only the messageIds (fixed width) are overwritten before each send; responses
// are parsed only as far as needed (status line, Content-Length or chunked, Connection: close), the
// body is skipped. A 2xx counts as acknowledged, anything else (another status, a connection closed
// before the answer) as an error; a connection the server closes is reopened.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

public class IngestLoad {
  static final int ID_LENGTH = 36; // as a UUID: 20 hex chars of run/loop prefix, '-', 15 hex chars of counter
  static final long WARMUP_NANOS = 2_000_000_000L;

  // shared by the loops; written rarely (once per response), read once per request
  static final AtomicLong ok = new AtomicLong();
  static final AtomicLong errors = new AtomicLong();
  static final AtomicLong acknowledged = new AtomicLong(); // events, warm-up included: for CPU time per event
  static final AtomicLong lastDone = new AtomicLong();

  static InetSocketAddress address;
  static byte[] template; // the whole request: headers and body
  static int[] idOffsets; // where each messageId starts in template
  static long warmupEnd;
  static long deadline;
  static long totalRequests;
  static int perRequest;

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    String auth = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":").getBytes(StandardCharsets.UTF_8));
    long totalEvents = Long.parseLong(args[2]);
    int maxSeconds = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    perRequest = Integer.parseInt(args[5]);
    int threads = args.length > 6 ? Integer.parseInt(args[6]) : 1;
    totalRequests = Math.max(1, totalEvents / perRequest);
    address = new InetSocketAddress(url.getHost(), url.getPort());
    buildTemplate(url, auth);

    byte[] run = new byte[8];
    new SecureRandom().nextBytes(run);
    String runHex = HexFormat.of().formatHex(run); // 16 hex chars
    warmupEnd = System.nanoTime() + WARMUP_NANOS;
    deadline = warmupEnd + maxSeconds * 1_000_000_000L;
    lastDone.set(warmupEnd);
    List<Loop> loops = new ArrayList<>();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int connections = concurrency / threads + (t < concurrency % threads ? 1 : 0);
      Loop loop = new Loop(runHex + String.format("%04x", t), connections);
      loops.add(loop);
      started.add(Thread.ofPlatform().name("load-" + t).start(loop));
    }
    for (Thread t : started) {
      t.join();
    }
    int measured = loops.stream().mapToInt(l -> l.latencyCount).sum();
    int[] sorted = new int[measured];
    int at = 0;
    for (Loop l : loops) {
      System.arraycopy(l.latencies, 0, sorted, at, l.latencyCount);
      at += l.latencyCount;
    }
    Arrays.sort(sorted);
    double seconds = Math.max(1e-3, (lastDone.get() - warmupEnd) / 1e9);
    double p50 = sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e3;
    double p99 = sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e3;
    System.out.printf("requests/s=%.0f events/s=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d seconds=%.1f acknowledged=%d%n",
        ok.get() / seconds, ok.get() * perRequest / seconds, p50, p99, errors.get(), seconds, acknowledged.get());
  }

  /** The request as bytes, each messageId a placeholder of ID_LENGTH bytes (fixed width: Content-Length is constant). */
  static void buildTemplate(URI url, String auth) {
    String placeholder = "x".repeat(ID_LENGTH);
    StringBuilder body = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < perRequest; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"type\":\"track\",\"event\":\"Product Viewed\",\"anonymousId\":\"bench-")
          .append(i % 97).append("\",\"messageId\":\"").append(placeholder)
          .append("\",\"properties\":{\"sku\":\"SKU-1\",\"price\":19.9}}");
    }
    byte[] bodyBytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    String head = "POST " + url.getRawPath() + " HTTP/1.1\r\n"
        + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Authorization: " + auth + "\r\n"
        + "Content-Length: " + bodyBytes.length + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    template = new byte[headBytes.length + bodyBytes.length];
    System.arraycopy(headBytes, 0, template, 0, headBytes.length);
    System.arraycopy(bodyBytes, 0, template, headBytes.length, bodyBytes.length);
    idOffsets = new int[perRequest];
    byte[] marker = ("\"messageId\":\"" + placeholder).getBytes(StandardCharsets.US_ASCII);
    int from = headBytes.length;
    for (int i = 0; i < perRequest; i++) {
      int found = indexOf(template, marker, from);
      idOffsets[i] = found + marker.length - ID_LENGTH;
      from = found + marker.length;
    }
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("placeholder not found");
  }

  /** One selector thread and its connections. */
  static final class Loop implements Runnable {
    final byte[] prefix; // 20 ASCII bytes
    final int connections;
    long counter;
    int[] latencies = new int[1 << 16]; // µs, measured requests only
    int latencyCount;
    Selector selector;
    int open; // connections still working

    Loop(String prefixHex, int connections) {
      this.prefix = prefixHex.getBytes(StandardCharsets.US_ASCII);
      this.connections = connections;
    }

    @Override
    public void run() {
      try {
        selector = Selector.open();
        for (int c = 0; c < connections; c++) {
          Conn conn = new Conn(this);
          open++;
          try {
            if (!conn.connect()) {
              open--;
            }
          } catch (IOException e) {
            conn.failed();
          }
        }
        long graceEnd = deadline + 30_000_000_000L; // answers still outstanding at the deadline
        while (open > 0 && System.nanoTime() < graceEnd) {
          selector.select(100);
          for (SelectionKey key : selector.selectedKeys()) {
            Conn conn = (Conn) key.attachment();
            try {
              conn.ready(key);
            } catch (IOException e) {
              conn.failed();
            }
          }
          selector.selectedKeys().clear();
        }
        selector.close();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }

    boolean more() {
      return System.nanoTime() < deadline && ok.get() < totalRequests;
    }

    /** Writes the next unique messageIds into buf (fixed width). */
    void stamp(byte[] buf) {
      for (int offset : idOffsets) {
        System.arraycopy(prefix, 0, buf, offset, 20);
        buf[offset + 20] = '-';
        long n = counter++;
        for (int d = ID_LENGTH - 1; d > 20; d--) {
          buf[offset + d] = HEX[(int) (n & 0xF)];
          n >>>= 4;
        }
      }
    }

    void record(int status, long start, long now) {
      if (status >= 200 && status < 300) {
        acknowledged.addAndGet(perRequest);
      }
      if (start < warmupEnd) {
        return;
      }
      if (status >= 200 && status < 300) {
        ok.incrementAndGet();
        if (latencyCount == latencies.length) {
          latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = (int) Math.min(Integer.MAX_VALUE, (now - start) / 1000);
        long seen;
        while ((seen = lastDone.get()) < now && !lastDone.compareAndSet(seen, now)) {
          // retry
        }
      } else {
        errors.incrementAndGet();
      }
    }
  }

  static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** One keep-alive connection with at most one request outstanding. */
  static final class Conn {
    final Loop loop;
    final byte[] request = template.clone();
    final ByteBuffer out = ByteBuffer.allocateDirect(template.length);
    ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
    SocketChannel channel;
    SelectionKey key;
    long start;
    boolean outstanding;

    Conn(Loop loop) {
      this.loop = loop;
    }

    boolean connect() throws IOException {
      for (int attempt = 0; ; attempt++) {
        try {
          channel = SocketChannel.open(address);
          break;
        } catch (IOException e) {
          if (attempt >= 50 || !loop.more()) {
            return false;
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.configureBlocking(false);
      key = channel.register(loop.selector, 0, this);
      in.clear();
      return send();
    }

    /** Sends the next request, or closes the connection when the run is over. */
    boolean send() throws IOException {
      if (!loop.more()) {
        close();
        return false;
      }
      loop.stamp(request);
      out.clear();
      out.put(request).flip();
      start = System.nanoTime();
      outstanding = true;
      channel.write(out);
      key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
      return true;
    }

    void ready(SelectionKey k) throws IOException {
      if (k.isWritable()) {
        channel.write(out);
        if (!out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
        return;
      }
      if (!k.isReadable()) {
        return;
      }
      if (!in.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(in.capacity() * 2);
        in.flip();
        bigger.put(in);
        in = bigger;
      }
      int n = channel.read(in);
      if (n < 0) {
        failed();
        return;
      }
      int end = responseEnd();
      if (end < 0) {
        return; // not all of it yet
      }
      long now = System.nanoTime();
      outstanding = false;
      loop.record(status, start, now);
      if (end != in.position()) {
        throw new IOException("bytes after the response: the server answered what was not asked");
      }
      in.clear();
      if (close) {
        reopen();
      } else {
        send();
      }
    }

    int status;
    boolean close;

    /** The position just past a complete response in {@code in}, or -1; sets status and close. */
    int responseEnd() throws IOException {
      int limit = in.position();
      int headEnd = -1;
      for (int i = 3; i < limit; i++) {
        if (in.get(i) == '\n' && in.get(i - 1) == '\r' && in.get(i - 2) == '\n' && in.get(i - 3) == '\r') {
          headEnd = i + 1;
          break;
        }
      }
      if (headEnd < 0) {
        return -1;
      }
      if (limit < 12 || in.get(0) != 'H' || in.get(8) != ' ') {
        throw new IOException("not an HTTP response");
      }
      status = (in.get(9) - '0') * 100 + (in.get(10) - '0') * 10 + (in.get(11) - '0');
      long contentLength = -1;
      boolean chunked = false;
      close = false;
      int line = lineAfter(0, headEnd);
      while (line < headEnd - 2) {
        int eol = lineAfter(line, headEnd) - 2;
        if (startsWithIgnoreCase(line, eol, "content-length:")) {
          contentLength = Long.parseLong(ascii(line + 15, eol).trim());
        } else if (startsWithIgnoreCase(line, eol, "transfer-encoding:")) {
          chunked = ascii(line + 18, eol).toLowerCase().contains("chunked");
        } else if (startsWithIgnoreCase(line, eol, "connection:")) {
          close = ascii(line + 11, eol).toLowerCase().contains("close");
        }
        line = eol + 2;
      }
      if (chunked) {
        int at = headEnd;
        while (true) { // [size hex][;ext]\r\n[data]\r\n ... 0\r\n[trailers]\r\n
          int eol = find(at, limit);
          if (eol < 0) {
            return -1;
          }
          String size = ascii(at, eol);
          int semi = size.indexOf(';');
          long chunk = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
          at = eol + 2;
          if (chunk == 0) {
            while (true) { // trailers end with an empty line
              int t = find(at, limit);
              if (t < 0) {
                return -1;
              }
              if (t == at) {
                return t + 2;
              }
              at = t + 2;
            }
          }
          at += (int) chunk + 2;
          if (at > limit) {
            return -1;
          }
        }
      }
      if (contentLength < 0) {
        if (status == 204 || status == 304 || status / 100 == 1) {
          return headEnd;
        }
        throw new IOException("a response without length: unsupported");
      }
      long end = headEnd + contentLength;
      return end <= limit ? (int) end : -1;
    }

    int lineAfter(int from, int limit) {
      int eol = find(from, limit);
      return eol < 0 ? limit : eol + 2;
    }

    /** Index of the next CRLF at or after from, or -1. */
    int find(int from, int limit) {
      for (int i = from; i + 1 < limit; i++) {
        if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
          return i;
        }
      }
      return -1;
    }

    boolean startsWithIgnoreCase(int from, int end, String prefix) {
      if (end - from < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (Character.toLowerCase(in.get(from + i)) != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    String ascii(int from, int end) {
      byte[] b = new byte[Math.max(0, end - from)];
      in.get(from, b);
      return new String(b, StandardCharsets.US_ASCII);
    }

    /** The connection broke: an outstanding request is an error; open a new connection if the run goes on. */
    void failed() {
      if (outstanding) {
        outstanding = false;
        if (start >= warmupEnd) {
          errors.incrementAndGet();
        }
      }
      try {
        reopen();
      } catch (IOException e) {
        close();
      }
    }

    void reopen() throws IOException {
      closeChannel();
      if (!loop.more()) {
        loop.open--;
      } else if (!connect()) {
        loop.open--;
      }
    }

    void close() {
      closeChannel();
      loop.open--;
    }

    void closeChannel() {
      if (key != null) {
        key.cancel();
      }
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
