package io.pond.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.rudderstack.sdk.java.analytics.RudderAnalytics;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.TrackMessage;
import io.pond.ingest.log.EventLog;
import io.pond.platform.Identifier;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The peers' own SDKs, pointed at Pond, work unchanged: Segment analytics-java 3.5.4 (posts to
 * /v1/import/ with the key in the body), RudderStack 3.1.2 (gzip, Basic auth, chunked, /v1/batch)
 * and the Sensors Java SDK 3.4.0 (BatchConsumer to /sa, gzip + base64 form).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"POND_WRITE_KEY=real_clients_write_key_01"})
class RealClientsTest {

  static final String KEY = "real_clients_write_key_01";

  @LocalServerPort int port;
  @Autowired EventLog eventLog;

  private List<EventEnvelope> stored(java.util.function.Predicate<EventEnvelope> which) {
    return eventLog.read(0, 100_000).stream().filter(which).toList();
  }

  @Test
  void segment_analytics_java_delivers_and_a_repeated_message_is_stored_once() {
    List<String> failures = new CopyOnWriteArrayList<>();
    Analytics analytics =
        Analytics.builder(KEY)
            .endpoint("http://localhost:" + port)
            .flushQueueSize(2)
            .flushInterval(1, TimeUnit.SECONDS)
            .callback(new com.segment.analytics.Callback() {
              @Override public void success(com.segment.analytics.messages.Message m) {}
              @Override public void failure(com.segment.analytics.messages.Message m, Throwable t) { failures.add(t.toString()); }
            })
            .build();
    String messageId = UUID.randomUUID().toString();
    String userId = "seg-" + messageId;
    try {
      for (int i = 0; i < 2; i++) { // the same message twice, as a retry would send it
        analytics.enqueue(TrackMessage.builder("Item Purchased").userId(userId).messageId(messageId)
            .properties(Map.of("revenue", 39.95)));
      }
      analytics.flush();
      Eventually.within(Duration.ofSeconds(20), () -> !stored(e -> e.messageId().equals(messageId)).isEmpty());
      analytics.enqueue(TrackMessage.builder("Item Purchased").userId(userId).messageId(messageId));
      analytics.flush();
    } finally {
      analytics.shutdown();
    }
    List<EventEnvelope> events = stored(e -> e.messageId().equals(messageId));
    assertThat(events).hasSize(1);
    assertThat(events.getFirst().identifiers()).contains(Identifier.global("login_id", userId));
    assertThat(events.getFirst().properties()).containsEntry("revenue", 39.95);
    assertThat(failures).isEmpty();
  }

  @Test
  void segment_analytics_java_with_a_bad_key_is_refused() {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    String messageId = UUID.randomUUID().toString();
    Analytics analytics =
        Analytics.builder("not_a_pond_write_key_000")
            .endpoint("http://localhost:" + port)
            .retries(1)
            .callback(new com.segment.analytics.Callback() {
              @Override public void success(com.segment.analytics.messages.Message m) {}
              @Override public void failure(com.segment.analytics.messages.Message m, Throwable t) { failures.add(t); }
            })
            .build();
    try {
      analytics.enqueue(TrackMessage.builder("Refused").userId("u").messageId(messageId));
      analytics.flush();
      Eventually.within(Duration.ofSeconds(20), () -> !failures.isEmpty());
    } finally {
      analytics.shutdown();
    }
    assertThat(failures.getFirst().toString()).contains("401");
    assertThat(stored(e -> e.messageId().equals(messageId))).isEmpty();
  }

  @Test
  void rudderstack_java_sdk_delivers_gzip_batches_and_refuses_a_bad_key() {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    String messageId = UUID.randomUUID().toString();
    RudderAnalytics rudder =
        RudderAnalytics.builder(KEY)
            .setDataPlaneUrl("http://localhost:" + port)
            .flushInterval(1, TimeUnit.SECONDS)
            .build();
    try {
      for (int i = 0; i < 2; i++) {
        rudder.enqueue(com.rudderstack.sdk.java.analytics.messages.TrackMessage.builder("Signed Up")
            .anonymousId("rs-anon-" + messageId).messageId(messageId));
      }
      rudder.flush();
      Eventually.within(Duration.ofSeconds(20), () -> !stored(e -> e.messageId().equals(messageId)).isEmpty());
    } finally {
      rudder.shutdown();
    }
    assertThat(stored(e -> e.messageId().equals(messageId)))
        .singleElement()
        .satisfies(e -> assertThat(e.identifiers()).containsExactly(Identifier.global("anonymous_id", "rs-anon-" + messageId)));

    String refusedId = UUID.randomUUID().toString();
    RudderAnalytics bad =
        RudderAnalytics.builder("not_a_pond_write_key_000")
            .setDataPlaneUrl("http://localhost:" + port)
            .retries(1)
            .callback(new com.rudderstack.sdk.java.analytics.Callback() {
              @Override public void success(com.rudderstack.sdk.java.analytics.messages.Message m) {}
              @Override public void failure(com.rudderstack.sdk.java.analytics.messages.Message m, Throwable t) { failures.add(t); }
            })
            .build();
    try {
      bad.enqueue(com.rudderstack.sdk.java.analytics.messages.TrackMessage.builder("Refused").userId("u").messageId(refusedId));
      bad.flush();
      Eventually.within(Duration.ofSeconds(20), () -> !failures.isEmpty());
    } finally {
      bad.shutdown();
    }
    assertThat(failures.getFirst().toString()).contains("401");
    assertThat(stored(e -> e.messageId().equals(refusedId))).isEmpty();
  }

  /** Runs {@link SensorsSdkClient} in a child JVM with the SDK's own Jackson 2 first on the class path. */
  private static Run sensorsSdk(String url, String user, String anon) throws Exception {
    Path jackson = Path.of("target", "sensors-sdk-jackson");
    StringBuilder classpath = new StringBuilder();
    try (var jars = Files.list(jackson)) {
      jars.forEach(j -> classpath.append(j.toAbsolutePath()).append(File.pathSeparator));
    }
    classpath.append(System.getProperty("java.class.path"));
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"), "-cp", classpath.toString(),
                SensorsSdkClient.class.getName(), url, user, anon)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  record Run(int exit, String output) {}

  @Test
  void the_sensors_java_sdk_delivers_events_signups_and_binds_and_a_bad_key_is_refused() throws Exception {
    String user = "sa-user-" + UUID.randomUUID();
    String anon = "sa-anon-" + UUID.randomUUID();
    Run ok = sensorsSdk("http://localhost:" + port + "/sa?project=shop&token=" + KEY, user, anon);
    assertThat(ok.exit()).as(ok.output()).isZero();

    List<EventEnvelope> track = stored(e -> "ViewProduct".equals(e.event()) && e.identifiers().contains(Identifier.global("login_id", user)));
    assertThat(track).singleElement().satisfies(e -> {
      assertThat(e.protocol()).isEqualTo("sensors");
      assertThat(e.properties()).containsEntry("product_name", "tea");
      assertThat(e.context()).containsEntry("project", "shop");
    });
    assertThat(stored(e -> e.link() == LinkKind.SIGNUP && e.identifiers().contains(Identifier.global("login_id", user))))
        .singleElement()
        .satisfies(e -> assertThat(e.previous()).isEqualTo(Identifier.global("anonymous_id", anon)));
    assertThat(stored(e -> e.link() == LinkKind.BIND && e.identifiers().contains(Identifier.global("login_id", user))))
        .singleElement()
        .satisfies(e -> assertThat(e.identifiers()).contains(Identifier.global("phone", "13800138000")));

    String other = "sa-refused-" + UUID.randomUUID();
    Run refused = sensorsSdk("http://localhost:" + port + "/sa?project=shop&token=wrong_key_000000", other, anon);
    assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
    assertThat(refused.output()).contains("401");
    assertThat(stored(e -> e.identifiers().contains(Identifier.global("login_id", other)))).isEmpty();
  }
}
