package io.pond.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.support.Http;
import io.pond.support.IsolatedStores;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A 2xx means committed: the packaged jar is killed with SIGKILL while clients send events
 * concurrently, restarted on the same data dir, and every acknowledged event is there exactly once.
 */
class IngestCrashIT {

  private static final Path JAR = Path.of("target", "pond.jar").toAbsolutePath();
  private static final Pattern HEALTH_URL = Pattern.compile("Health\\s+http://localhost:(\\d+)/actuator/health");
  private static final String KEY = "crash_test_write_key_0001";
  private static final String ADMIN = Http.basic("admin", "crash-test-pw");

  private record Running(Process process, int port) {}

  private static Running start(Path dataDir, String dbUrl) throws Exception {
    List<String> command =
        List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
            "-jar", JAR.toString(), "start", "--port", "0");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("POND_DATA_DIR", dataDir.toString());
    builder.environment().put("POND_WRITE_KEY", KEY);
    builder.environment().put("POND_ADMIN_PASSWORD", "crash-test-pw");
    if (dbUrl != null) {
      builder.environment().put("POND_DB_URL", dbUrl);
    }
    Process process = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(360)); // a loaded shared machine starts slowly
    StringBuilder seen = new StringBuilder();
    String line;
    while (Instant.now().isBefore(deadline) && (line = out.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = HEALTH_URL.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> {
          try {
            while (out.readLine() != null) {
              // keep the pipe empty so the server never blocks on its console
            }
          } catch (java.io.IOException ignored) {
            // the process died
          }
        });
        drain.setDaemon(true);
        drain.start();
        return new Running(process, Integer.parseInt(m.group(1)));
      }
    }
    process.destroyForcibly();
    throw new AssertionError("Pond did not start:\n" + seen);
  }

  @Test
  void every_acknowledged_event_survives_a_sigkill_exactly_once() throws Exception {
    assertThat(JAR).exists();
    Path dataDir = IsolatedStores.newDataDir("crash-" + UUID.randomUUID());
    String dbUrl = System.getenv("POND_DB_URL") == null ? null
        : IsolatedStores.newSchema(System.getenv("POND_DB_URL"), "postgres", "", "c_" + UUID.randomUUID().toString().substring(0, 8));
    String anonymousId = "crash-" + UUID.randomUUID();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> sent = ConcurrentHashMap.newKeySet();

    long t0 = System.nanoTime();
    Running first = start(dataDir, dbUrl);
    System.out.printf("crash test: started in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    AtomicBoolean sending = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(6);
    try {
      Http http = new Http(first.port());
      for (int t = 0; t < 6; t++) {
        clients.submit(() -> {
          while (sending.get()) {
            List<String> ids = new ArrayList<>();
            StringBuilder body = new StringBuilder("{\"batch\":[");
            for (int i = 0; i < 10; i++) {
              String id = UUID.randomUUID().toString();
              ids.add(id);
              body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"Crash\",\"anonymousId\":\"")
                  .append(anonymousId).append("\",\"messageId\":\"").append(id).append("\"}");
            }
            sent.addAll(ids);
            try {
              if (http.post("/v1/batch", Http.basic(KEY, ""), body.append("]}").toString()).status() == 200) {
                acknowledged.addAll(ids);
              }
            } catch (RuntimeException e) {
              // the server died under us: this request was not acknowledged
            }
          }
        });
      }
      Eventually.within(Duration.ofSeconds(60), () -> acknowledged.size() >= 1_000);
      System.out.printf("crash test: %d acknowledged at %d ms%n", acknowledged.size(), (System.nanoTime() - t0) / 1_000_000);
      first.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      sending.set(false);
      clients.shutdown();
      clients.awaitTermination(30, TimeUnit.SECONDS);
      first.process().destroyForcibly();
    }

    Running second = start(dataDir, dbUrl);
    System.out.printf("crash test: restarted at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    try {
      Http http = new Http(second.port());
      List<String> stored = new ArrayList<>();
      for (int page = 0; ; page++) {
        JsonNode answer =
            http.get("/api/v1/events?type=anonymous_id&value=" + anonymousId + "&size=500&page=" + page, ADMIN).json();
        answer.get("items").values().forEach(e -> stored.add(e.get("messageId").asString()));
        if (answer.get("items").size() < 500) {
          break;
        }
      }
      System.out.printf("crash test: %d stored, read at %d ms%n", stored.size(), (System.nanoTime() - t0) / 1_000_000);
      assertThat(new HashSet<>(stored)).as("no event is stored twice").hasSize(stored.size());
      assertThat(stored).as("every acknowledged event is stored").containsAll(acknowledged);
      assertThat(sent).as("nothing is stored that was not sent").containsAll(stored);

      // a client that retries acknowledged events after the restart is told they are duplicates
      List<String> some = new ArrayList<>(acknowledged).subList(0, 50);
      StringBuilder body = new StringBuilder("{\"batch\":[");
      for (int i = 0; i < some.size(); i++) {
        body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"Crash\",\"anonymousId\":\"")
            .append(anonymousId).append("\",\"messageId\":\"").append(some.get(i)).append("\"}");
      }
      Http.Response retry = http.post("/v1/batch", Http.basic(KEY, ""), body.append("]}").toString());
      assertThat(retry.json().get("deduplicated").asInt()).isEqualTo(50);
      assertThat(retry.json().get("accepted").asInt()).isZero();
    } finally {
      second.process().destroyForcibly();
      second.process().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
