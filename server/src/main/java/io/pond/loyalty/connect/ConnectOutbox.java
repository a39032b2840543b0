package io.pond.loyalty.connect;

import io.pond.loyalty.MemberBound;
import io.pond.loyalty.MemberUnbound;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.PointsActivated;
import io.pond.loyalty.PointsClawedBack;
import io.pond.loyalty.PointsEarned;
import io.pond.loyalty.PointsExpired;
import io.pond.loyalty.PointsRedeemed;
import io.pond.loyalty.TierChanged;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.program.Programs;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The member-connect outbox. Every points or tier change publishes a loyalty event inside the
 * ledger's transaction; these listeners are plain (synchronous) {@link EventListener}s, so the push
 * rows are written in that same transaction — committed with the change or rolled back with it. One
 * row per bound binding and connector, carrying the account's state after the change and its change
 * sequence; the idempotency key is (binding, connector, sequence), so enqueuing twice writes one row.
 *
 * <p>Changes that publish no event (a negative adjustment, a reversal) are still recorded as account
 * changes; {@link #sweep()} queues the state of every binding whose account moved past what was
 * queued for it, with the account locked so that rows stay in sequence order.
 */
@Component
public class ConnectOutbox {

  private final JdbcClient jdbc;
  private final Programs programs;
  private final PointsLedger ledger;
  private final Clock clock;
  private final io.pond.loyalty.PointsChangeBatches batches;

  /**
   * Programs with an enabled connector. PERF: the ledger publishes an event for nearly every change;
   * programs without connectors (and ledger benchmarks) must not pay two queries each. Refreshed when
   * a connector is saved here and on every sweep; a connector saved by another JVM is picked up by the
   * sweep, which also queues what was missed meanwhile.
   */
  private volatile java.util.Set<String> connectedPrograms;

  ConnectOutbox(JdbcClient jdbc, Programs programs, PointsLedger ledger, Clock clock, io.pond.loyalty.PointsChangeBatches batches) {
    this.batches = batches;
    this.jdbc = jdbc;
    this.programs = programs;
    this.ledger = ledger;
    this.clock = clock;
  }

  @EventListener
  void on(PointsEarned e) {
    enqueueState(e.program(), e.person());
  }

  @EventListener
  void on(PointsActivated e) {
    enqueueState(e.program(), e.person());
  }

  @EventListener
  void on(PointsRedeemed e) {
    enqueueState(e.program(), e.person());
  }

  @EventListener
  void on(PointsExpired e) {
    enqueueState(e.program(), e.person());
  }

  @EventListener
  void on(PointsClawedBack e) {
    enqueueState(e.program(), e.person());
  }

  @EventListener
  void on(TierChanged e) {
    enqueueState(e.program(), e.person());
  }

  /** A group commit of the ledger: each account it changed gets its state after the commit, once. */
  @EventListener
  void on(io.pond.loyalty.PointsPosted e) {
    if (noConnectors()) {
      return;
    }
    java.util.Set<java.util.Map.Entry<String, PersonRef>> accounts = new java.util.LinkedHashSet<>();
    batches.changes(e.batchId()).forEach(c -> accounts.add(java.util.Map.entry(c.program(), c.person())));
    accounts.forEach(a -> enqueueState(a.getKey(), a.getValue()));
  }

  /** The merged person's bindings now serve the survivor: they get the survivor's state. */
  @EventListener
  void on(io.pond.loyalty.AccountsMerged e) {
    enqueueState(e.program(), e.survivor());
  }

  /** After a split each side's bindings get that side's state. */
  @EventListener
  void on(io.pond.loyalty.AccountSplit e) {
    enqueueState(e.program(), e.survivor());
    enqueueState(e.program(), e.restored());
  }

  /** A new binding gets the member's current state at once. */
  @EventListener
  void on(MemberBound e) {
    enqueueState(e.program(), e.person());
  }

  /** Channels that accept it (抖店 {@code unbind}, webhooks) are told; Tmall starts its unbinds itself. */
  @EventListener
  void on(MemberUnbound e) {
    if (!connected(e.program())) {
      return;
    }
    Programs.Program program = programs.get(e.program());
    Optional<AccountState> state = state(program, e.person());
    if (state.isEmpty()) {
      return;
    }
    List<long[]> targets =
        jdbc.sql(
                "SELECT b.id, c.id FROM loyalty_binding b JOIN loyalty_connector c ON c.program_id = b.program_id AND c.channel = b.channel"
                    + " AND (c.shop = b.shop OR c.shop = '*') AND c.enabled = TRUE AND c.kind <> 'tmall' WHERE b.id = ?")
            .param(e.bindingId())
            .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .list();
    for (long[] t : targets) {
      insertIfAbsent(t[1], t[0], "UNBIND", state.get(), null, null, "unbind-" + t[0] + "-" + t[1] + "-" + state.get().seq());
    }
  }

  record AccountState(long seq, long points, long growth, int tierLevel, String tierCode) {}

  private Optional<AccountState> state(Programs.Program program, PersonRef person) {
    return jdbc.sql("SELECT change_seq, available, growth, tier FROM loyalty_account WHERE program_id = ? AND person_id = ?")
        .params(program.id(), person.value())
        .query(
            (rs, n) ->
                new AccountState(rs.getLong(1), Math.max(0, rs.getLong(2)), rs.getLong(3), rs.getInt(4), program.config().tier(rs.getInt(4)).code()))
        .optional();
  }

  private boolean noConnectors() {
    java.util.Set<String> known = connectedPrograms;
    return (known == null ? refreshConnectedPrograms() : known).isEmpty();
  }

  private boolean connected(String programCode) {
    java.util.Set<String> known = connectedPrograms;
    if (known == null) {
      known = refreshConnectedPrograms();
    }
    return known.contains(programCode);
  }

  java.util.Set<String> refreshConnectedPrograms() {
    java.util.Set<String> fresh =
        java.util.Set.copyOf(
            jdbc.sql("SELECT DISTINCT p.code FROM loyalty_connector c JOIN loyalty_program p ON p.id = c.program_id WHERE c.enabled = TRUE")
                .query(String.class)
                .list());
    connectedPrograms = fresh;
    return fresh;
  }

  /** Queues the account's current state for every bound binding of the person that has a connector. */
  void enqueueState(String programCode, PersonRef person) {
    if (!connected(programCode)) {
      return;
    }
    Programs.Program program = programs.get(programCode);
    Optional<AccountState> state = state(program, person);
    if (state.isEmpty()) {
      return;
    }
    List<long[]> targets =
        jdbc.sql(
                "SELECT b.id, c.id FROM loyalty_binding b JOIN loyalty_connector c ON c.program_id = b.program_id AND c.channel = b.channel"
                    + " AND (c.shop = b.shop OR c.shop = '*') AND c.enabled = TRUE"
                    + " WHERE b.program_id = ? AND b.person_id = ? AND b.state = 'BOUND' ORDER BY b.id, c.id")
            .params(program.id(), person.value())
            .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .list();
    for (long[] t : targets) {
      insertIfAbsent(t[1], t[0], "STATE", state.get(), null, null, "state-" + t[0] + "-" + t[1] + "-" + state.get().seq());
    }
    jdbc.sql("UPDATE loyalty_binding SET enqueued_seq = ? WHERE program_id = ? AND person_id = ? AND state = 'BOUND' AND enqueued_seq < ?")
        .params(state.get().seq(), program.id(), person.value(), state.get().seq())
        .update();
  }

  /** Tmall's answer to a point-change message ({@code tmall.mei.crm.callback.point.change}), once per record. */
  void enqueueCallback(long connectorId, Long bindingId, String recordId, boolean ok, long pointsAfter, String errorCode) {
    AccountState state = new AccountState(0, pointsAfter, 0, 0, "");
    insertIfAbsent(connectorId, bindingId, "POINT_CALLBACK", state, recordId, ok ? "true" : errorCode, "callback-" + connectorId + "-" + recordId);
  }

  private void insertIfAbsent(long connectorId, Long bindingId, String kind, AccountState s, String recordId, String resultCode, String key) {
    boolean exists = jdbc.sql("SELECT COUNT(*) FROM loyalty_connect_outbox WHERE idempotency_key = ?").param(key).query(Long.class).single() > 0;
    if (exists) {
      return;
    }
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            "INSERT INTO loyalty_connect_outbox (connector_id, binding_id, kind, seq, points, growth, tier_level, tier_code, record_id, result_code,"
                + " idempotency_key, state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")
        .params(connectorId, bindingId, kind, s.seq(), s.points(), s.growth(), s.tierLevel(), s.tierCode(), recordId, resultCode, key, now, now)
        .update();
  }

  /** Queues the state of bindings whose account changed without an event (or before their connector existed); returns how many persons. */
  public int sweep() {
    refreshConnectedPrograms();
    record Behind(long programId, int personId) {}
    List<Behind> behind =
        jdbc.sql(
                "SELECT DISTINCT b.program_id, b.person_id FROM loyalty_binding b"
                    + " JOIN loyalty_account a ON a.program_id = b.program_id AND a.person_id = b.person_id"
                    + " WHERE b.state = 'BOUND' AND a.change_seq > b.enqueued_seq AND EXISTS (SELECT 1 FROM loyalty_connector c"
                    + " WHERE c.program_id = b.program_id AND c.channel = b.channel AND (c.shop = b.shop OR c.shop = '*') AND c.enabled = TRUE)")
            .query((rs, n) -> new Behind(rs.getLong(1), rs.getInt(2)))
            .list();
    for (Behind b : behind) {
      String program = programs.byId(b.programId()).code();
      PersonRef person = new PersonRef(b.personId());
      ledger.withAccount(program, person, false, locked -> {
        enqueueState(program, person);
        return null;
      });
    }
    return behind.size();
  }

  /** A connector added or changed: its bindings are queued again by the next sweep (existing rows dedupe by key). */
  void resync(Connectors.Connector c) {
    refreshConnectedPrograms();
    jdbc.sql("UPDATE loyalty_binding SET enqueued_seq = 0 WHERE program_id = ? AND channel = ? AND (shop = ? OR ? = '*') AND state = 'BOUND'")
        .params(c.programId(), c.channel(), c.shop(), c.shop())
        .update();
  }
}
