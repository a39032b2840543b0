// Load generator for the ingestion benchmark (run by bench/ingest/run.sh in its own JVM):
//   java IngestLoad.java URL WRITE_KEY TOTAL_EVENTS MAX_SECONDS CONCURRENCY EVENTS_PER_REQUEST
// After a 2 s warm-up, sends Segment /v1/batch requests (unique messageIds) from CONCURRENCY
// virtual threads until TOTAL_EVENTS events were acknowledged or MAX_SECONDS passed, and prints one
// line: requests/s, events/s, p50/p99 latency in ms, errors, and the events acknowledged in all.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class IngestLoad {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String auth = "Basic " + Base64.getEncoder().encodeToString((args[1] + ":").getBytes(StandardCharsets.UTF_8));
    long totalEvents = Long.parseLong(args[2]);
    int maxSeconds = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    int perRequest = Integer.parseInt(args[5]);
    long totalRequests = Math.max(1, totalEvents / perRequest);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong acknowledged = new AtomicLong(); // events, warm-up included: for CPU time per event
    AtomicInteger measured = new AtomicInteger();
    long[] latencies = new long[(int) Math.min(totalRequests + concurrency, 50_000_000)];
    long warmupEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    long deadline = warmupEnd + Duration.ofSeconds(maxSeconds).toNanos();
    AtomicLong lastDone = new AtomicLong(warmupEnd);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < concurrency; w++) {
        pool.submit(() -> {
          StringBuilder body = new StringBuilder();
          while (System.nanoTime() < deadline && ok.get() < totalRequests) {
            body.setLength(0);
            body.append("{\"batch\":[");
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
              if (status == 200) acknowledged.addAndGet(perRequest);
              if (start < warmupEnd) continue;
              if (status == 200) {
                ok.incrementAndGet();
                int i = measured.getAndIncrement();
                if (i < latencies.length) latencies[i] = now - start;
                lastDone.accumulateAndGet(now, Math::max);
              } else {
                errors.incrementAndGet();
              }
            } catch (Exception e) {
              errors.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    double seconds = Math.max(1e-3, (lastDone.get() - warmupEnd) / 1e9);
    long[] sorted = Arrays.copyOf(latencies, Math.min(measured.get(), latencies.length));
    Arrays.sort(sorted);
    double p50 = sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6;
    double p99 = sorted.length == 0 ? 0 : sorted[(int) (sorted.length * 0.99)] / 1e6;
    System.out.printf("requests/s=%.0f events/s=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d seconds=%.1f acknowledged=%d%n",
        ok.get() / seconds, ok.get() * perRequest / seconds, p50, p99, errors.get(), seconds, acknowledged.get());
  }
}
