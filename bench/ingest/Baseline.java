// The benchmark's baseline: the least a durable ingestion server must do, for comparison with Pond.
// A bare JDK HttpServer (virtual threads) that authenticates the write key, parses the same Segment
// /v1/batch JSON with the same Jackson, checks each message's type, event and messageId, and appends
// the messages as JSON lines to a file under the same group-commit rule as Pond's event log: request
// threads queue their records and wait; one writer drains up to MAX_REQUESTS requests / MAX_EVENTS
// events, writes them, fsyncs (FileChannel.force) and only then answers them all.
//   java -cp <jackson jars> Baseline.java PORT FILE WRITE_KEY [MAX_REQUESTS] [MAX_EVENTS]
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

public class Baseline {
  record Pending(byte[] lines, int events, CompletableFuture<Void> done) {}

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final LinkedBlockingQueue<Pending> QUEUE = new LinkedBlockingQueue<>();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    FileChannel file = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    String auth = "Basic " + Base64.getEncoder().encodeToString((args[2] + ":").getBytes(StandardCharsets.UTF_8));
    int maxRequests = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    int maxEvents = args.length > 4 ? Integer.parseInt(args[4]) : 50_000;
    Thread.ofPlatform().name("writer").start(() -> write(file, maxRequests, maxEvents));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/health", e -> answer(e, 200, "{\"status\":\"UP\"}"));
    server.createContext("/v1/batch", e -> {
      try {
        if (!auth.equals(e.getRequestHeaders().getFirst("Authorization"))) {
          answer(e, 401, "{\"code\":\"invalid_credentials\"}");
          return;
        }
        JsonNode root = JSON.readTree(e.getRequestBody().readAllBytes());
        JsonNode batch = root.get("batch");
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int events = 0;
        for (JsonNode m : batch) {
          if (!m.hasNonNull("type") || !m.hasNonNull("messageId") || m.get("type").asString().equals("track") && !m.hasNonNull("event")) {
            continue;
          }
          lines.write(JSON.writeValueAsBytes(m));
          lines.write('\n');
          events++;
        }
        Pending p = new Pending(lines.toByteArray(), events, new CompletableFuture<>());
        QUEUE.add(p);
        p.done().get();
        answer(e, 200, "{\"success\":true,\"accepted\":" + events + "}");
      } catch (Exception ex) {
        answer(e, 503, "{\"code\":\"unavailable\"}");
      }
    });
    server.start();
    System.out.println("baseline listening on " + port);
  }

  static void write(FileChannel file, int maxRequests, int maxEvents) {
    List<Pending> group = new ArrayList<>();
    while (true) {
      try {
        Pending first = QUEUE.take();
        group.add(first);
        int events = first.events();
        Pending next;
        while (group.size() < maxRequests && events < maxEvents && (next = QUEUE.poll()) != null) {
          group.add(next);
          events += next.events();
        }
        for (Pending p : group) {
          ByteBuffer b = ByteBuffer.wrap(p.lines());
          while (b.hasRemaining()) {
            file.write(b);
          }
        }
        file.force(false);
        group.forEach(p -> p.done().complete(null));
      } catch (Exception ex) {
        group.forEach(p -> p.done().completeExceptionally(ex));
      } finally {
        group.clear();
      }
    }
  }

  static void answer(HttpExchange e, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().set("Content-Type", "application/json");
    e.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = e.getResponseBody()) {
      out.write(bytes);
    }
  }
}
