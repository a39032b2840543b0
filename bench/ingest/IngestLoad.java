// Load generator for Pond's ingestion (run by bench/ingest/run.sh in its own JVM):
//   java IngestLoad.java URL WRITE_KEY SECONDS CONCURRENCY EVENTS_PER_REQUEST
// Sends Segment /v1/batch requests (unique messageIds) from CONCURRENCY virtual threads for SECONDS
// and prints one line: requests/s, events/s, p50/p99 latency in ms, errors.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class IngestLoad {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String auth = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":").getBytes(StandardCharsets.UTF_8));
    int seconds = Integer.parseInt(args[2]);
    int concurrency = Integer.parseInt(args[3]);
    int perRequest = Integer.parseInt(args[4]);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    long warmupEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    long end = warmupEnd + Duration.ofSeconds(seconds).toNanos();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < concurrency; w++) {
        pool.submit(() -> {
          while (System.nanoTime() < end) {
            StringBuilder body = new StringBuilder("{\"batch\":[");
            for (int i = 0; i < perRequest; i++) {
              body.append(i == 0 ? "" : ",")
                  .append("{\"type\":\"track\",\"event\":\"Product Viewed\",\"anonymousId\":\"bench-")
                  .append(i % 97).append("\",\"messageId\":\"").append(UUID.randomUUID())
                  .append("\",\"properties\":{\"sku\":\"SKU-1\",\"price\":19.9}}");
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build();
            long start = System.nanoTime();
            try {
              int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
              long now = System.nanoTime();
              if (now < warmupEnd) continue;
              if (status == 200) { ok.incrementAndGet(); latencies.add(now - start); } else errors.incrementAndGet();
            } catch (Exception e) {
              errors.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double p50 = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
    double p99 = sorted.isEmpty() ? 0 : sorted.get((int) (sorted.size() * 0.99)) / 1e6;
    System.out.printf("requests/s=%.0f events/s=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d%n",
        ok.get() / (double) seconds, ok.get() * perRequest / (double) seconds, p50, p99, errors.get());
  }
}
