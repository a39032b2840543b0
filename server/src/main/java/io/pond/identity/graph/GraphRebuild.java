package io.pond.identity.graph;

import io.pond.identity.LinkKind;
import io.pond.identity.graph.domain.IdentityGraph;
import io.pond.identity.graph.domain.LongHashSet;
import io.pond.identity.types.domain.IdentifierRules;
import io.pond.identity.types.domain.IdentifierType;
import io.pond.identity.types.domain.PreparedIdentifier;
import io.pond.platform.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The full rebuild: replays the whole evidence log, in the order it was applied, through a fresh
 * graph under the current rules (same guards as incremental resolution), then replaces the identity
 * map, merges, conflicts and edges in one transaction and bumps the graph generation, so that a
 * running server reloads. Conflicts an operator already resolved stay resolved.
 */
public class GraphRebuild {

  private final IdentityGraphService service;
  private final TransactionTemplate tx;
  private final AuditLog audit;
  private final Clock clock;

  public GraphRebuild(IdentityGraphService service, TransactionTemplate tx, AuditLog audit, Clock clock) {
    this.service = service;
    this.tx = tx;
    this.audit = audit;
    this.clock = clock;
  }

  /** What a rebuild found. */
  public record Report(long evidence, int identifiers, int persons, int merges, int conflicts, Duration replay, Duration total) {}

  /** Pieces of evidence in the log. */
  public long evidenceCount() {
    service.loaded();
    long[] count = {0};
    service.evidenceLog().scan(0, (offset, e) -> count[0]++);
    return count[0];
  }

  /** @param progress called with the number of evidence rows replayed so far */
  public Report rebuild(String actor, LongConsumer progress) {
    long started = System.nanoTime();
    GraphStore store = service.store();
    service.checkpoint(); // personal values of new identifiers are read back from the identity map
    EvidenceLog evidenceLog = service.evidenceLog();
    service.checkpointLock().lock();
    service.lock().writeLock().lock();
    try {
      service.types().reload();
      IdentifierRules rules = service.types().rules();
      long total = evidenceCount();
      int expected = (int) Math.min(Integer.MAX_VALUE / 8, total * 2 + 16);
      IdentityGraph graph = new IdentityGraph(service.hardCap(), expected);
      IdentityGraphService.Loaded l = new IdentityGraphService.Loaded(graph, expected, (int) Math.min(Integer.MAX_VALUE / 4, total + 16));
      for (IdentifierType t : rules.types()) {
        graph.rule(IdentityGraphService.rule(t));
      }
      Collector c = new Collector(l, clock.instant());
      long[] done = {0};
      long[] lastSeq = {0};
      Map<String, String> loggedSeals = new HashMap<>();
      evidenceLog.scan(0,
          (offset, entry) -> {
            GraphStore.EvidenceRow e = entry.row();
            c.replay(rules, e);
            l.seen.putIfAbsent(LongHashSet.fingerprint(e.idemKey()), offset);
            if (entry.sealed() != null) {
              for (int i = 0; i < entry.keys().length; i++) {
                if (entry.sealed()[i] != null) {
                  loggedSeals.putIfAbsent(entry.keys()[i], entry.sealed()[i]);
                }
              }
            }
            lastSeq[0] = e.seq();
            if (++done[0] % 10_000 == 0) {
              progress.accept(done[0]);
            }
          });
      progress.accept(done[0]);
      long replayed = System.nanoTime();

      tx.executeWithoutResult(
          s -> {
            GraphStore.State state = store.state();
            Map<String, String[]> values = new HashMap<>();
            store.jdbc().sql("SELECT id_key, plain_value, value_enc FROM identity_identifier")
                .query(rs -> {
                  values.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                });
            List<GraphStore.NodeRow> nodes = new ArrayList<>(graph.nodeCount());
            for (int n = 0; n < graph.nodeCount(); n++) {
              String key = graph.keyOf(n);
              String[] parts = PreparedIdentifier.parts(key);
              String[] v = values.get(key);
              String sealed = v == null ? loggedSeals.get(key) : v[1];
              if (sealed != null) {
                l.seal(n, sealed);
              }
              String plain = v == null ? (sealed != null ? null : parts[2]) : v[0];
              nodes.add(new GraphStore.NodeRow(n, key, parts[0], parts[1], plain, sealed, graph.personOf(n),
                  Instant.ofEpochSecond(graph.attachedAt(n)), c.firstSeqOf(n)));
            }
            Map<String, Object[]> resolutions = new HashMap<>();
            store.jdbc().sql("SELECT person_a, person_b, reason, resolved_at, resolved_by, resolution FROM identity_conflict"
                    + " WHERE resolved_at IS NOT NULL")
                .query(rs -> {
                  resolutions.put(rs.getInt(1) + ":" + rs.getInt(2) + ":" + rs.getString(3),
                      new Object[] {rs.getTimestamp(4), rs.getString(5), rs.getString(6)});
                });
            JdbcSweep.clear(store);
            store.insertEvidence(c.evidence);
            store.insertNodes(nodes);
            store.insertEvidenceNodes(c.edges);
            store.insertMerges(c.merges);
            store.insertApartPairs(graph.apartPairs());
            store.insertConflicts(c.conflicts);
            for (long[] split : c.splitMerges) {
              store.jdbc().sql("UPDATE identity_merge SET split_at = merged_at WHERE id = ?").param(split[0]).update();
            }
            for (Map.Entry<String, Object[]> r : resolutions.entrySet()) {
              String[] k = r.getKey().split(":", 3);
              store.jdbc().sql("UPDATE identity_conflict SET resolved_at = ?, resolved_by = ?, resolution = ?"
                      + " WHERE person_a = ? AND person_b = ? AND reason = ?")
                  .params(r.getValue()[0], r.getValue()[1], r.getValue()[2], Integer.parseInt(k[0]), Integer.parseInt(k[1]), k[2])
                  .update();
            }
            for (GraphStore.ConflictRow conflict : c.conflicts) {
              String key = conflict.personA() + ":" + conflict.personB() + ":" + conflict.reason();
              if (!resolutions.containsKey(key)) {
                graph.knownConflict(conflict.personA(), conflict.personB());
              }
            }
            l.generation = state.generation() + 1;
            l.nextSeq = Math.max(state.nextSeq(), lastSeq[0] + 1);
            l.nextMerge = c.merges.size() + 1L;
            l.nextConflict = c.conflicts.size() + 1L;
            graph.reservePersonsBelow(state.nextPerson());
            l.checkpointedNodes = graph.nodeCount();
            store.replaceState(new GraphStore.State(l.generation, graph.nextPerson(), l.nextSeq, l.nextMerge, l.nextConflict));
            audit.record(actor, "identity.rebuilt", "graph",
                String.format("%d evidence, %d identifiers, %d persons, %d merges, %d conflicts", total, graph.nodeCount(),
                    graph.personCount(), c.merges.size(), c.conflicts.size()));
          });
      l.rulesRevision = service.types().revision();
      service.swap(l);
      return new Report(total, graph.nodeCount(), graph.personCount(), c.merges.size(), c.conflicts.size(),
          Duration.ofNanos(replayed - started), Duration.ofNanos(System.nanoTime() - started));
    } finally {
      service.lock().writeLock().unlock();
      service.checkpointLock().unlock();
    }
  }

  /** Collects what the replay produced: edges, merges, conflicts, undone merges. */
  static final class Collector implements IdentityGraph.Changes {
    final IdentityGraphService.Loaded l;
    final IdentityGraph graph;
    final Instant now;
    final List<long[]> edges = new ArrayList<>();
    final List<GraphStore.EvidenceRow> evidence = new ArrayList<>();
    final List<GraphStore.MergeRow> merges = new ArrayList<>();
    final List<GraphStore.ConflictRow> conflicts = new ArrayList<>();
    final List<long[]> splitMerges = new ArrayList<>();
    long[] firstSeq = new long[1024]; // per node, the graph-changing evidence that created it (as incremental resolution records it)
    long seq;

    Collector(IdentityGraphService.Loaded l, Instant now) {
      this.l = l;
      this.graph = l.graph;
      this.now = now;
    }

    void replay(IdentifierRules rules, GraphStore.EvidenceRow e) {
      seq = e.seq();
      String[] keys = e.identifiers().isEmpty() ? new String[0] : e.identifiers().split(String.valueOf(GraphStore.KEY_SEPARATOR));
      LinkKind kind = LinkKind.fromWire(e.kind());
      int[] nodes = new int[keys.length];
      int count = 0;
      int created = graph.nodeCount();
      boolean lookupOnly = kind == LinkKind.UNBIND || kind == LinkKind.MANUAL || kind == LinkKind.SPLIT;
      for (String key : keys) {
        IdentifierType type = rules.recheck(key);
        if (type == null) {
          continue;
        }
        int node;
        if (lookupOnly) {
          node = graph.find(key);
          if (node < 0) {
            continue;
          }
        } else {
          node = graph.node(key, graph.typeIndex(type.name()), graph.scope(PreparedIdentifier.parts(key)[1]));
        }
        nodes[count++] = node;
      }
      nodes = java.util.Arrays.copyOf(nodes, count);
      IdentityGraph.Result r;
      if (e.outcome().equals("rejected") && e.identifiers().isEmpty()) {
        return;
      }
      switch (kind) {
        case UNBIND -> r = graph.unbind(nodes, this);
        case MANUAL -> r = graph.forceMerge(nodes, this);
        case SPLIT -> {
          r = graph.split(nodes, e.person() == null ? 0 : e.person(), this);
          if (r.kind() == IdentityGraph.Kind.DETACHED) {
            for (int i = merges.size() - 1; i >= 0; i--) {
              GraphStore.MergeRow m = merges.get(i);
              if (m.merged() == e.person()) {
                splitMerges.add(new long[] {m.id()});
                break;
              }
            }
          }
        }
        default -> r = graph.link(nodes, e.occurredAt().getEpochSecond(), this);
      }
      if (r.kind() != IdentityGraph.Kind.UNCHANGED && r.kind() != IdentityGraph.Kind.REJECTED) {
        evidence.add(e);
        for (int n : nodes) {
          if (n >= created) {
            if (n >= firstSeq.length) {
              firstSeq = java.util.Arrays.copyOf(firstSeq, Math.max(n + 1, firstSeq.length * 2));
            }
            firstSeq[n] = seq;
          } else {
            edges.add(new long[] {n, seq});
          }
        }
      }
    }

    long firstSeqOf(int node) {
      return node < firstSeq.length ? firstSeq[node] : 0;
    }

    @Override
    public void nodeChanged(int node) {}

    @Override
    public void personsMerged(int survivor, int merged, int[] movedNodes) {
      merges.add(new GraphStore.MergeRow(merges.size() + 1L, survivor, merged, seq, movedNodes, now));
    }

    @Override
    public void conflictFound(int personA, int personB, String type, String scope, String reason) {
      conflicts.add(new GraphStore.ConflictRow(conflicts.size() + 1L, Math.min(personA, personB), Math.max(personA, personB),
          type, scope, reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason, seq, now));
    }
  }

  /** Empties the derived tables (the evidence log, a file, is the source of truth and stays). */
  static final class JdbcSweep {
    private JdbcSweep() {}

    static void clear(GraphStore store) {
      for (String table : List.of("identity_identifier", "identity_evidence", "identity_evidence_node", "identity_merge", "identity_conflict",
          "identity_apart")) {
        store.jdbc().sql("DELETE FROM " + table).update();
      }
    }
  }
}
