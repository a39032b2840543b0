package io.pond.loyalty.connect;

import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.loyalty.connect.domain.Backoff;
import io.pond.platform.Identifier;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the outbox. Per binding (and connector) only the oldest pending row is ever sent, so a
 * channel sees a member's changes in order; a failure holds that binding back until its retry (after
 * {@link Backoff}) while other bindings go on. A row is marked sent only after the channel
 * acknowledged it; if Pond stops between the two, the row is sent again with the same idempotency key
 * (at-least-once delivery, de-duplicated by the channel). After the last attempt a row is dead: the
 * binding's later rows go on and the reconciliation report shows the gap.
 *
 * <p>One publisher runs per JVM ({@code synchronized}); several nodes would need row claims
 * ({@code FOR UPDATE SKIP LOCKED}), not done here.
 */
@Component
public class ConnectPublisher {

  private static final Logger log = LoggerFactory.getLogger(ConnectPublisher.class);
  private static final int BATCH = 200;
  private static final int MAX_ROUNDS = 100;

  private final JdbcClient jdbc;
  private final Connectors connectors;
  private final ConnectOutbox outbox;
  private final Persons persons;
  private final Clock clock;
  private final TransactionTemplate tx;
  private final Backoff backoff;
  private final Duration timeout;
  private final HttpClient http;

  ConnectPublisher(
      JdbcClient jdbc,
      Connectors connectors,
      ConnectOutbox outbox,
      Persons persons,
      Clock clock,
      PlatformTransactionManager transactions,
      @Value("${pond.loyalty.connect.backoff-base:PT2S}") Duration backoffBase,
      @Value("${pond.loyalty.connect.backoff-max:PT30M}") Duration backoffMax,
      @Value("${pond.loyalty.connect.max-attempts:12}") int maxAttempts,
      @Value("${pond.loyalty.connect.timeout:PT5S}") Duration timeout) {
    this.jdbc = jdbc;
    this.connectors = connectors;
    this.outbox = outbox;
    this.persons = persons;
    this.clock = clock;
    this.tx = new TransactionTemplate(transactions);
    this.backoff = new Backoff(backoffBase, backoffMax, maxAttempts);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** What one run did. */
  public record Run(int swept, int sent, int failed, int dead) {}

  /** Queues what no event announced, then sends every due row (heads of their binding's queue first). */
  public synchronized Run publishDue() {
    int swept = outbox.sweep();
    int sent = 0;
    int failed = 0;
    int dead = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<Row> due = dueHeads();
      if (due.isEmpty()) {
        break;
      }
      for (Row row : due) {
        switch (deliver(row)) {
          case SENT -> sent++;
          case RETRY -> failed++;
          case DEAD -> dead++;
        }
      }
    }
    return new Run(swept, sent, failed, dead);
  }

  record Row(
      long id, long connectorId, Long bindingId, String kind, long seq, long points, long growth, int tierLevel, String tierCode, String recordId,
      String resultCode, String idempotencyKey, int attempts) {}

  private List<Row> dueHeads() {
    return jdbc.sql(
            "SELECT o.* FROM loyalty_connect_outbox o WHERE o.state = 'PENDING' AND o.next_attempt_at <= ? AND NOT EXISTS ("
                + " SELECT 1 FROM loyalty_connect_outbox p WHERE p.binding_id = o.binding_id AND p.connector_id = o.connector_id"
                + " AND p.state = 'PENDING' AND p.id < o.id) ORDER BY o.id LIMIT " + BATCH)
        .param(Timestamp.from(clock.instant()))
        .query(
            (rs, n) ->
                new Row(
                    rs.getLong("id"),
                    rs.getLong("connector_id"),
                    (Long) rs.getObject("binding_id", Long.class),
                    rs.getString("kind"),
                    rs.getLong("seq"),
                    rs.getLong("points"),
                    rs.getLong("growth"),
                    rs.getInt("tier_level"),
                    rs.getString("tier_code"),
                    rs.getString("record_id"),
                    rs.getString("result_code"),
                    rs.getString("idempotency_key"),
                    rs.getInt("attempts")))
        .list();
  }

  private enum Delivery {
    SENT,
    RETRY,
    DEAD
  }

  private Delivery deliver(Row row) {
    Connectors.Connector connector = connectors.byId(row.connectorId());
    Optional<String> failure;
    try {
      ChannelRequests.Push push = push(connector, row);
      HttpResponse<String> response = http.send(ChannelRequests.build(connector, push, clock, timeout), HttpResponse.BodyHandlers.ofString());
      failure = ChannelRequests.failure(connector.kind(), response);
    } catch (IOException | RuntimeException e) {
      failure = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = Optional.of("interrupted");
    }
    Instant now = clock.instant();
    if (failure.isEmpty()) {
      tx.executeWithoutResult(
          s -> {
            jdbc.sql("UPDATE loyalty_connect_outbox SET state = 'SENT', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ?")
                .params(Timestamp.from(now), row.id())
                .update();
            if (row.bindingId() != null && !row.kind().equals("POINT_CALLBACK")) {
              jdbc.sql(
                      "UPDATE loyalty_binding SET acked_seq = ?, acked_points = ?, acked_tier = ?, acked_at = ? WHERE id = ?"
                          + " AND (acked_seq IS NULL OR acked_seq <= ?)")
                  .params(row.seq(), row.points(), row.tierCode(), Timestamp.from(now), row.bindingId(), row.seq())
                  .update();
            }
          });
      return Delivery.SENT;
    }
    int attempts = row.attempts() + 1;
    boolean exhausted = backoff.exhausted(attempts);
    String error = ChannelRequests.abbreviate(failure.get());
    jdbc.sql("UPDATE loyalty_connect_outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?")
        .params(exhausted ? "DEAD" : "PENDING", attempts, Timestamp.from(now.plus(backoff.delayAfter(attempts))), error, row.id())
        .update();
    if (exhausted) {
      log.warn("Member-connect push {} to {} given up after {} attempts: {}", row.idempotencyKey(), connector.code(), attempts, error);
      return Delivery.DEAD;
    }
    return Delivery.RETRY;
  }

  private ChannelRequests.Push push(Connectors.Connector connector, Row row) {
    record B(String program, String channel, String shop, String memberId, int personId) {}
    B b =
        row.bindingId() == null
            ? null
            : jdbc.sql(
                    "SELECT p.code, b.channel, b.shop, b.channel_member_id, b.person_id FROM loyalty_binding b"
                        + " JOIN loyalty_program p ON p.id = b.program_id WHERE b.id = ?")
                .param(row.bindingId())
                .query((rs, n) -> new B(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)))
                .single();
    String mobile =
        b == null || connector.kind().equals("webhook")
            ? null
            : persons.identifiersOf(new PersonId(b.personId())).stream()
                .filter(i -> i.type().equals(Identifier.PHONE))
                .map(Identifier::value)
                .map(ConnectPublisher::nationalMobile)
                .findFirst()
                .orElse(null);
    return new ChannelRequests.Push(
        row.id(), row.kind(), row.seq(), row.points(), row.growth(), row.tierLevel(), row.tierCode(), row.recordId(), row.resultCode(),
        row.idempotencyKey(), b == null ? null : b.program(), b == null ? connector.channel() : b.channel(), b == null ? connector.shop() : b.shop(),
        b == null ? null : b.memberId(), b == null ? null : b.personId(), mobile);
  }

  /** Identity keeps phones in E.164; Chinese platforms take mainland mobiles as 11 plain digits. */
  static String nationalMobile(String e164) {
    return e164.startsWith("+86") ? e164.substring(3) : e164;
  }

  /** Makes a dead (or waiting) row due again now, with its attempts reset. */
  public boolean retry(long outboxId) {
    return jdbc.sql("UPDATE loyalty_connect_outbox SET state = 'PENDING', attempts = 0, next_attempt_at = ? WHERE id = ? AND state <> 'SENT'")
            .params(Timestamp.from(clock.instant()), outboxId)
            .update()
        == 1;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  @ConditionalOnWebApplication
  @ConditionalOnBooleanProperty(name = "pond.loyalty.jobs.enabled", matchIfMissing = true)
  static class Schedule {
    private final ConnectPublisher publisher;

    Schedule(ConnectPublisher publisher) {
      this.publisher = publisher;
    }

    @Scheduled(initialDelayString = "${pond.loyalty.connect.interval:PT5S}", fixedDelayString = "${pond.loyalty.connect.interval:PT5S}")
    void run() {
      try {
        Run run = publisher.publishDue();
        if (run.sent() + run.failed() + run.dead() > 0) {
          log.info("Member-connect sync: {}", run);
        }
      } catch (RuntimeException e) {
        log.error("Member-connect sync failed; it runs again at the next interval", e);
      }
    }
  }
}
