package io.pond.loyalty.connect;

import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import io.pond.platform.security.Actors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/loyalty")
@Tag(name = "Loyalty member-connect", description = "Channel connectors (credentials), the sync outbox, the reconciliation report")
class ConnectController {

  private final Connectors connectors;
  private final ConnectPublisher publisher;
  private final ConnectReport report;
  private final AuditLog audit;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  ConnectController(
      Connectors connectors, ConnectPublisher publisher, ConnectReport report, AuditLog audit, JdbcClient jdbc,
      PlatformTransactionManager transactions) {
    this.connectors = connectors;
    this.publisher = publisher;
    this.report = report;
    this.audit = audit;
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
  }

  record ConnectorRequest(
      @Size(max = 16) String kind,
      @Size(max = 32) String channel,
      @Size(max = 100) String shop,
      @Size(max = 200) String appKey,
      @Size(max = 500) String secret,
      @Size(max = 1000) String accessToken,
      @Size(max = 1000) String endpoint,
      Boolean enabled) {}

  @PutMapping("/programs/{program}/connectors/{code}")
  @PreAuthorize("hasRole('ADMIN')")
  @Operation(summary = "Create or change a member-connect connector (tmall, doudian, webhook) and its credentials (audited; secrets never answered)")
  Connectors.View save(@PathVariable String program, @PathVariable String code, @Valid @RequestBody ConnectorRequest r) {
    String actor = Actors.current();
    return tx.execute(
        s -> {
          Connectors.Connector saved =
              connectors.save(program, code,
                  new Connectors.Settings(r.kind(), r.channel(), r.shop(), r.appKey(), r.secret(), r.accessToken(), r.endpoint(), r.enabled()));
          audit.record(actor, "loyalty.connector.saved", "loyalty_connector:" + code,
              saved.kind() + " " + saved.channel() + "/" + saved.shop() + " → " + saved.endpoint() + (r.secret() != null ? " (secret changed)" : ""));
          return connectors.view(saved);
        });
  }

  @GetMapping("/programs/{program}/connectors")
  @Operation(summary = "The program's connectors (without secrets)")
  List<Connectors.View> list(@PathVariable String program) {
    return connectors.list(program).stream().map(connectors::view).toList();
  }

  @GetMapping("/programs/{program}/connect/report")
  @Operation(summary = "Reconciliation: our points and tier next to what each bound channel last acknowledged")
  List<ConnectReport.Line> report(@PathVariable String program, @RequestParam(defaultValue = "false") boolean onlyDiffering) {
    return report.lines(program, onlyDiffering);
  }

  record OutboxRow(long id, String connector, Long bindingId, String kind, long seq, long points, String tier, String idempotencyKey, String state,
      int attempts, Instant nextAttemptAt, String lastError, Instant createdAt, Instant sentAt) {}

  @GetMapping("/connect/outbox")
  @Operation(summary = "Outbox rows by state (PENDING, SENT, DEAD), newest first")
  List<OutboxRow> outbox(@RequestParam(defaultValue = "PENDING") String state, @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
    if (!List.of("PENDING", "SENT", "DEAD").contains(state)) {
      throw PondException.invalid("state", "one of PENDING, SENT, DEAD");
    }
    return jdbc.sql(
            "SELECT o.*, c.code connector FROM loyalty_connect_outbox o JOIN loyalty_connector c ON c.id = o.connector_id WHERE o.state = ?"
                + " ORDER BY o.id DESC LIMIT " + limit)
        .param(state)
        .query(
            (rs, n) ->
                new OutboxRow(rs.getLong("id"), rs.getString("connector"), (Long) rs.getObject("binding_id", Long.class), rs.getString("kind"),
                    rs.getLong("seq"), rs.getLong("points"), rs.getString("tier_code"), rs.getString("idempotency_key"), rs.getString("state"),
                    rs.getInt("attempts"), instant(rs.getTimestamp("next_attempt_at")), rs.getString("last_error"),
                    instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("sent_at"))))
        .list();
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  @PostMapping("/connect/outbox/{id}/retry")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Make a dead (or waiting) push due again now")
  ConnectPublisher.Run retry(@PathVariable long id) {
    if (!publisher.retry(id)) {
      throw PondException.notFound("unsent outbox row", id);
    }
    return publisher.publishDue();
  }

  @PostMapping("/connect/publish")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Sweep and deliver every due push now")
  ConnectPublisher.Run publish() {
    return publisher.publishDue();
  }
}
