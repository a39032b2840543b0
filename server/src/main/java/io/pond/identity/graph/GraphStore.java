package io.pond.identity.graph;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The identity graph's tables: reads at start-up and for rebuilds, batched writes for resolution. */
class GraphStore {

  static final char KEY_SEPARATOR = '\u001e';

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  GraphStore(DataSource dataSource) {
    this.template = new JdbcTemplate(dataSource);
    this.jdbc = JdbcClient.create(template);
  }

  JdbcClient jdbc() {
    return jdbc;
  }

  JdbcTemplate template() {
    return template;
  }

  record State(long generation, int nextPerson, long nextSeq, long nextMerge, long nextConflict) {}

  /**
   * A row of the identity map.
   *
   * @param firstSeq the graph-changing evidence that created the identifier (its edge in the graph view), 0 if none
   */
  record NodeRow(int id, String key, String type, String scope, String value, String valueEnc, int person, Instant attachedAt,
      long firstSeq) {

    NodeRow(int id, String key, String type, String scope, String value, String valueEnc, int person, Instant attachedAt) {
      this(id, key, type, scope, value, valueEnc, person, attachedAt, 0);
    }
  }

  record EvidenceRow(
      long seq, String idemKey, String kind, String source, Instant occurredAt, String identifiers,
      Integer person, String outcome, String reason, String actor) {}

  record MergeRow(long id, int survivor, int merged, long evidenceSeq, int[] movedNodes, Instant at) {}

  record ConflictRow(long id, int personA, int personB, String type, String scope, String reason, long evidenceSeq, Instant at) {}

  /** Everything one batch of resolutions changed. */
  static final class Writes {
    final List<EvidenceRow> evidence = new ArrayList<>();
    final List<NodeRow> newNodes = new ArrayList<>();
    final List<NodeRow> movedNodes = new ArrayList<>();
    final List<long[]> evidenceNodes = new ArrayList<>(); // {node, seq}: edges to identifiers the evidence did not create
    final List<MergeRow> merges = new ArrayList<>();
    final List<ConflictRow> conflicts = new ArrayList<>();
    final List<SplitMark> splitMerges = new ArrayList<>();
    final List<int[]> apartRemoved = new ArrayList<>(); // {personA, personB}, lower id first
    final List<int[]> apartAdded = new ArrayList<>();
  }

  /** A merge that a split undid. */
  record SplitMark(long mergeId, Instant at, String by) {}

  /** The name of the evidence log file that belongs to this store; made (and recorded) on first use. */
  String evidenceLogName() {
    String name = jdbc.sql("SELECT evidence_log FROM identity_state WHERE id = 1").query(String.class).optional().orElse(null);
    if (name == null) {
      name = "evidence-" + java.util.UUID.randomUUID();
      jdbc.sql("UPDATE identity_state SET evidence_log = ? WHERE id = 1 AND evidence_log IS NULL").param(name).update();
      name = jdbc.sql("SELECT evidence_log FROM identity_state WHERE id = 1").query(String.class).single();
    }
    return name;
  }

  /** Evidence rows that did not change the graph: before the log moved out of the OLTP tables, every row was kept. */
  int deleteUnchangedEvidence() {
    return jdbc.sql("DELETE FROM identity_evidence WHERE outcome IN ('unchanged', 'rejected')").update();
  }

  State state() {
    return jdbc.sql("SELECT generation, next_person, next_seq, next_merge, next_conflict FROM identity_state WHERE id = 1")
        .query((rs, n) -> new State(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)))
        .single();
  }

  /** Moves the counters on, if nobody rebuilt the graph since {@code generation}; false when somebody did. */
  boolean advance(long generation, State next) {
    return jdbc.sql(
            "UPDATE identity_state SET next_person = ?, next_seq = ?, next_merge = ?, next_conflict = ?"
                + " WHERE id = 1 AND generation = ?")
        .params(next.nextPerson(), next.nextSeq(), next.nextMerge(), next.nextConflict(), generation)
        .update() == 1;
  }

  void replaceState(State next) {
    jdbc.sql(
            "UPDATE identity_state SET generation = ?, next_person = ?, next_seq = ?, next_merge = ?, next_conflict = ?"
                + " WHERE id = 1")
        .params(next.generation(), next.nextPerson(), next.nextSeq(), next.nextMerge(), next.nextConflict())
        .update();
  }

  void eachNode(Consumer<NodeRow> each) {
    template.setFetchSize(10_000);
    template.query(
        "SELECT id, id_key, type, scope, plain_value, value_enc, person_id, attached_at FROM identity_identifier ORDER BY id",
        (RowCallbackHandler) rs -> each.accept(node(rs)));
  }

  void eachIdempotencyFingerprint(java.util.function.LongConsumer each) {
    template.query("SELECT idem_hash FROM identity_evidence", (RowCallbackHandler) rs -> each.accept(rs.getLong(1)));
  }

  void eachEvidence(Consumer<EvidenceRow> each) {
    template.query(
        "SELECT seq, idem_key, kind, source, occurred_at, identifiers, person_id, outcome, reason, actor"
            + " FROM identity_evidence ORDER BY seq",
        (RowCallbackHandler) rs -> each.accept(evidence(rs)));
  }

  void eachApartPair(Consumer<int[]> each) {
    template.query("SELECT person_a, person_b FROM identity_apart",
        (RowCallbackHandler) rs -> each.accept(new int[] {rs.getInt(1), rs.getInt(2)}));
  }

  long evidenceCount() {
    return jdbc.sql("SELECT COUNT(*) FROM identity_evidence").query(Long.class).single();
  }

  List<int[]> openConflictPairs() {
    return jdbc.sql("SELECT person_a, person_b FROM identity_conflict WHERE resolved_at IS NULL")
        .query((rs, n) -> new int[] {rs.getInt(1), rs.getInt(2)})
        .list();
  }

  void write(Writes w) {
    insertEvidence(w.evidence);
    insertNodes(w.newNodes);
    if (!w.movedNodes.isEmpty()) {
      template.batchUpdate(
          "UPDATE identity_identifier SET person_id = ?, attached_at = ? WHERE id = ?", w.movedNodes, 1000,
          (ps, n) -> {
            ps.setInt(1, n.person());
            ps.setTimestamp(2, Timestamp.from(n.attachedAt()));
            ps.setInt(3, n.id());
          });
    }
    insertEvidenceNodes(w.evidenceNodes);
    if (!w.apartRemoved.isEmpty()) {
      template.batchUpdate("DELETE FROM identity_apart WHERE person_a = ? AND person_b = ?", w.apartRemoved, 1000,
          (ps, pair) -> {
            ps.setInt(1, pair[0]);
            ps.setInt(2, pair[1]);
          });
    }
    insertApartPairs(w.apartAdded);
    insertMerges(w.merges);
    insertConflicts(w.conflicts);
    if (!w.splitMerges.isEmpty()) {
      template.batchUpdate("UPDATE identity_merge SET split_at = ?, split_by = ? WHERE id = ?", w.splitMerges, 100,
          (ps, m) -> {
            ps.setTimestamp(1, Timestamp.from(m.at()));
            ps.setString(2, m.by());
            ps.setLong(3, m.mergeId());
          });
    }
  }

  void insertEvidence(List<EvidenceRow> rows) {
    if (!rows.isEmpty()) {
      template.batchUpdate(
          "INSERT INTO identity_evidence (seq, idem_key, kind, source, occurred_at, identifiers, person_id, outcome, reason, actor,"
              + " idem_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          rows, 1000,
          (ps, e) -> {
            ps.setLong(1, e.seq());
            ps.setString(2, e.idemKey());
            ps.setString(3, e.kind());
            ps.setString(4, e.source());
            ps.setTimestamp(5, Timestamp.from(e.occurredAt()));
            ps.setString(6, e.identifiers());
            if (e.person() == null) {
              ps.setNull(7, Types.INTEGER);
            } else {
              ps.setInt(7, e.person());
            }
            ps.setString(8, e.outcome());
            ps.setString(9, e.reason());
            ps.setString(10, e.actor());
            ps.setLong(11, io.pond.identity.graph.domain.LongHashSet.fingerprint(e.idemKey()));
          });
    }
  }

  void insertNodes(List<NodeRow> nodes) {
    if (nodes.isEmpty()) {
      return;
    }
    template.batchUpdate(
        "INSERT INTO identity_identifier (id, id_key, type, scope, plain_value, value_enc, person_id, attached_at, first_seq)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        nodes, 1000,
        (ps, n) -> {
          ps.setInt(1, n.id());
          ps.setString(2, n.key());
          ps.setString(3, n.type());
          ps.setString(4, n.scope());
          ps.setString(5, n.value());
          ps.setString(6, n.valueEnc());
          ps.setInt(7, n.person());
          ps.setTimestamp(8, Timestamp.from(n.attachedAt()));
          if (n.firstSeq() == 0) {
            ps.setNull(9, Types.BIGINT);
          } else {
            ps.setLong(9, n.firstSeq());
          }
        });
  }

  void insertEvidenceNodes(List<long[]> rows) {
    if (!rows.isEmpty()) {
      template.batchUpdate(
          "INSERT INTO identity_evidence_node (node_id, evidence_seq) VALUES (?, ?)", rows, 1000,
          (ps, r) -> {
            ps.setInt(1, (int) r[0]);
            ps.setLong(2, r[1]);
          });
    }
  }

  void insertApartPairs(List<int[]> pairs) {
    if (!pairs.isEmpty()) {
      template.batchUpdate("INSERT INTO identity_apart (person_a, person_b) VALUES (?, ?)", pairs, 1000,
          (ps, pair) -> {
            ps.setInt(1, pair[0]);
            ps.setInt(2, pair[1]);
          });
    }
  }

  void insertMerges(List<MergeRow> merges) {
    if (!merges.isEmpty()) {
      template.batchUpdate(
          "INSERT INTO identity_merge (id, survivor_id, merged_id, evidence_seq, moved_nodes, merged_at) VALUES (?, ?, ?, ?, ?, ?)",
          merges, 1000,
          (ps, m) -> {
            ps.setLong(1, m.id());
            ps.setInt(2, m.survivor());
            ps.setInt(3, m.merged());
            ps.setLong(4, m.evidenceSeq());
            ps.setString(5, joinInts(m.movedNodes()));
            ps.setTimestamp(6, Timestamp.from(m.at()));
          });
    }
  }

  void insertConflicts(List<ConflictRow> conflicts) {
    if (!conflicts.isEmpty()) {
      template.batchUpdate(
          "INSERT INTO identity_conflict (id, person_a, person_b, type, scope, reason, evidence_seq, found_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          conflicts, 1000,
          (ps, c) -> {
            ps.setLong(1, c.id());
            ps.setInt(2, c.personA());
            ps.setInt(3, c.personB());
            ps.setString(4, c.type());
            ps.setString(5, c.scope());
            ps.setString(6, c.reason());
            ps.setLong(7, c.evidenceSeq());
            ps.setTimestamp(8, Timestamp.from(c.at()));
          });
    }
  }

  static String joinInts(int[] values) {
    StringBuilder b = new StringBuilder(values.length * 8);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(values[i]);
    }
    return b.toString();
  }

  static int[] splitInts(String csv) {
    if (csv == null || csv.isEmpty()) {
      return new int[0];
    }
    String[] parts = csv.split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Integer.parseInt(parts[i]);
    }
    return out;
  }

  static NodeRow node(ResultSet rs) throws SQLException {
    return new NodeRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getInt(7), rs.getTimestamp(8).toInstant());
  }

  static EvidenceRow evidence(ResultSet rs) throws SQLException {
    int person = rs.getInt(7);
    Integer p = rs.wasNull() ? null : person;
    return new EvidenceRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
        rs.getString(6), p, rs.getString(8), rs.getString(9), rs.getString(10));
  }

  static MergeRow merge(ResultSet rs) throws SQLException {
    return new MergeRow(rs.getLong("id"), rs.getInt("survivor_id"), rs.getInt("merged_id"), rs.getLong("evidence_seq"),
        splitInts(rs.getString("moved_nodes")), rs.getTimestamp("merged_at").toInstant());
  }
}
