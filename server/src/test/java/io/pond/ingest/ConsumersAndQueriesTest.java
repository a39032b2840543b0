package io.pond.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.ingest.consumer.ConsumerOffsets;
import io.pond.ingest.log.EventLog;
import io.pond.support.Http;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Consumers read the log from their durable offset, in the same OLTP transaction as their own
 * writes; the native batch API, events by identifier, stats, metrics and rate limits.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "POND_ADMIN_PASSWORD=correct-horse",
      "POND_WRITE_KEY=consumer_test_write_key_1",
      "pond.ingest.rate-limit.events-per-second=50",
      "pond.ingest.rate-limit.burst=200",
      "pond.ingest.consumers.poll-interval=100ms"
    })
class ConsumersAndQueriesTest {

  static final String BASIC = Http.basic("consumer_test_write_key_1", "");
  static final String ADMIN = Http.basic("admin", "correct-horse");

  /** Records what it sees in an OLTP table and fails once, after writing, to prove the rollback. */
  static class RecordingConsumer implements EventLogConsumer {
    final JdbcClient jdbc;
    final AtomicBoolean failedOnce = new AtomicBoolean();

    RecordingConsumer(JdbcClient jdbc) {
      this.jdbc = jdbc;
      jdbc.sql("CREATE TABLE IF NOT EXISTS test_consumer_seen (message_id VARCHAR(100) NOT NULL, log_offset BIGINT NOT NULL)").update();
    }

    @Override
    public String name() {
      return "test-recorder";
    }

    @Override
    public void accept(List<EventEnvelope> batch) {
      for (EventEnvelope e : batch) {
        jdbc.sql("INSERT INTO test_consumer_seen VALUES (?, ?)").params(e.messageId(), e.offset()).update();
      }
      if (batch.stream().anyMatch(e -> e.event() != null && e.event().equals("Poison")) && failedOnce.compareAndSet(false, true)) {
        throw new IllegalStateException("simulated crash after writing");
      }
    }
  }

  @TestConfiguration
  static class Consumers {
    @Bean
    RecordingConsumer recordingConsumer(JdbcClient jdbc) {
      return new RecordingConsumer(jdbc);
    }
  }

  @LocalServerPort int port;
  @Autowired EventLog eventLog;
  @Autowired ConsumerOffsets offsets;
  @Autowired RecordingConsumer consumer;
  @Autowired JdbcClient jdbc;

  @Test
  void a_consumer_sees_every_event_once_even_when_a_batch_fails_after_writing() {
    Http http = new Http(port);
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < 20; i++) {
      batch.append(i == 0 ? "" : ",")
          .append("{\"type\":\"track\",\"event\":\"")
          .append(i == 7 ? "Poison" : "Fine")
          .append("\",\"anonymousId\":\"c\",\"messageId\":\"")
          .append(UUID.randomUUID())
          .append("\"}");
    }
    assertThat(http.post("/v1/batch", BASIC, batch.append("]}").toString()).status()).isEqualTo(200);
    long last = eventLog.lastOffset();
    Eventually.within(Duration.ofSeconds(20), () -> offsets.committed("test-recorder") >= last);

    assertThat(consumer.failedOnce).isTrue();
    long rows = jdbc.sql("SELECT count(*) FROM test_consumer_seen").query(Long.class).single();
    long distinct = jdbc.sql("SELECT count(DISTINCT message_id) FROM test_consumer_seen").query(Long.class).single();
    assertThat(rows).isEqualTo(distinct).isEqualTo(eventLog.count());
  }

  @Test
  void native_records_keep_scoped_identifiers_and_can_be_found_by_them() {
    Http http = new Http(port);
    String openid = "o-" + UUID.randomUUID();
    Http.Response r =
        http.post("/v1/native/batch", BASIC,
            """
            {"batch":[
              {"messageId":"%s","type":"track","event":"Paid",
               "identifiers":[{"type":"wechat_openid","scope":"wx42","value":"%s"},{"type":"phone","value":"13900000000"}],
               "properties":{"amountFen":990}},
              {"messageId":"%s","type":"track","event":"Paid","identifiers":[]}]}
            """.formatted(UUID.randomUUID(), openid, UUID.randomUUID()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
    assertThat(r.json().get("rejected").get(0).get("reason").asString()).isEqualTo("missing_identifier");

    Http.Response found = http.get("/api/v1/events?type=wechat_openid&scope=wx42&value=" + openid, ADMIN);
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().get("total").asLong()).isEqualTo(1);
    assertThat(found.json().get("items").get(0).get("event").asString()).isEqualTo("Paid");
    assertThat(http.get("/api/v1/events?type=wechat_openid&scope=other&value=" + openid, ADMIN).json().get("total").asLong()).isZero();
    assertThat(http.get("/api/v1/events?type=phone&value=1", null).status()).isEqualTo(401);

    Http.Response stats = http.get("/api/v1/ingest/stats", ADMIN);
    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.json().get(0).get("source").asString()).isEqualTo("default");
    assertThat(stats.json().get(0).get("accepted").asLong()).isPositive();
    assertThat(stats.json().get(0).get("rejectedByReason").get("missing_identifier").asLong()).isPositive();

    String metrics = http.get("/actuator/prometheus", ADMIN).body();
    assertThat(metrics).contains("pond_ingest_events_total{").contains("outcome=\"accepted\"").contains("source=\"default\"");
  }

  @Test
  void a_key_over_its_rate_limit_gets_429_with_retry_after() throws Exception {
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < 150; i++) {
      batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"E\",\"anonymousId\":\"r\"}");
    }
    String body = batch.append("]}").toString();
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> limited = null;
    for (int i = 0; i < 5 && limited == null; i++) {
      var response =
          client.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/v1/batch"))
                  .header("Authorization", BASIC)
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 429) {
        limited = response;
      }
    }
    assertThat(limited).isNotNull();
    assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    assertThat(limited.body()).contains("\"code\":\"rate_limited\"");
  }
}
