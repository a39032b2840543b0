package io.pond.identity.graph;

import io.pond.identity.LinkKind;
import io.pond.identity.PersonId;
import io.pond.identity.PersonSplit;
import io.pond.identity.Resolution;
import io.pond.identity.types.domain.IdentifierRules;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventsByIdentifier;
import io.pond.platform.Identifier;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What operators do with persons: look them up, see their graph, merge by hand, split a merge,
 * review conflicts. Every change is audited.
 */
public class PersonOperations {

  private final IdentityGraphService graph;
  private final AuditLog audit;
  private final Clock clock;
  private final TransactionTemplate tx;
  private final EventsByIdentifier events;

  public PersonOperations(
      IdentityGraphService graph, AuditLog audit, TransactionTemplate tx, Clock clock, EventsByIdentifier events) {
    this.graph = graph;
    this.events = events;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
  }

  public record IdentifierView(String type, String scope, String value, Instant attachedAt) {}

  /** @param keptApartFrom persons an operator split from this one: evidence no longer merges them */
  public record PersonView(int personId, Integer mergedInto, List<IdentifierView> identifiers, List<Integer> keptApartFrom) {}

  public record GraphNode(int id, String type, String scope, String value) {}

  public record GraphEdge(int from, int to, long evidence, String kind, String source, Instant occurredAt) {}

  public record MergeView(long id, int survivor, int merged, long evidence, String kind, String source, Instant mergedAt,
      Instant splitAt, String splitBy, int identifiers) {}

  public record GraphView(int personId, List<GraphNode> nodes, List<GraphEdge> edges, List<MergeView> merges) {}

  public record ConflictView(long id, int personA, int personB, String type, String scope, String reason, long evidence,
      Instant foundAt, Instant resolvedAt, String resolvedBy, String resolution) {}

  public record MergeResult(int personId, List<Integer> merged, String outcome) {}

  /** A person's events, newest first, and how many identifiers they were searched by. */
  public record EventsView(int personId, int identifiers, List<EventEnvelope> items, int page, int size, long total) {}

  public record SplitResult(int personId, int restored, long mergeId, List<IdentifierView> identifiers) {}

  // ---- reads -------------------------------------------------------------------------------------

  public PersonView lookup(Identifier identifier, boolean revealPii) {
    IdentifierRules.Checked checked = graph.types().rules().check(identifier);
    if (checked instanceof IdentifierRules.Refused r) {
      String field = r.reason().equals("unknown_type") ? "type" : r.reason().equals("scope_required") ? "scope" : "value";
      throw PondException.invalid(field, "not a usable identifier: " + r.reason());
    }
    Optional<PersonId> person = graph.personOf(identifier);
    if (person.isEmpty()) {
      throw new PondException(ErrorCode.NOT_FOUND, "no person holds this identifier");
    }
    return person(person.get(), revealPii);
  }

  public PersonView person(PersonId person, boolean revealPii) {
    List<IdentifierView> ids = identifiers(person, revealPii);
    if (!ids.isEmpty()) {
      int[] apart = graph.read(l -> l.graph.apartFrom(person.value()));
      return new PersonView(person.value(), null, ids, java.util.Arrays.stream(apart).boxed().toList());
    }
    Optional<PersonId> current = graph.current(person);
    if (current.isPresent() && !current.get().equals(person)) {
      return new PersonView(person.value(), current.get().value(), List.of(), List.of());
    }
    throw PondException.notFound("Person", person.value());
  }

  private List<IdentifierView> identifiers(PersonId person, boolean revealPii) {
    return graph.nodesOf(person).stream()
        .map(n -> {
          Identifier id = n.identifier(revealPii, graph.cipher());
          return new IdentifierView(id.type(), id.scope(), id.value(), Instant.ofEpochSecond(n.attachedAtSecond()));
        })
        .toList();
  }

  /**
   * The events of a person: those that carry any identifier the person holds now — which includes the
   * identifiers of every person merged into it, and excludes those split off again. A merged-away id
   * answers with its survivor's events. Personal identifiers are searched in their common spellings
   * (E.164 and the national digits) and masked in the answer unless {@code revealPii}.
   */
  public EventsView events(PersonId person, int page, int size, boolean revealPii) {
    PersonId current = graph.current(person).orElseThrow(() -> PondException.notFound("Person", person.value()));
    List<Identifier> held = graph.identifiersOf(current);
    EventsByIdentifier.EventPage found = events.eventsCarrying(held, page, size); // phones in every spelling
    List<EventEnvelope> items = revealPii ? found.items() : found.items().stream().map(PersonOperations::masked).toList();
    return new EventsView(current.value(), held.size(), items, found.page(), found.size(), found.total());
  }

  private static EventEnvelope masked(EventEnvelope e) {
    Identifier previous = e.previous() == null ? null : IdentityGraphService.masked(e.previous());
    return new EventEnvelope(e.offset(), e.sourceId(), e.messageId(), e.protocol(), e.type(), e.event(), e.timestamp(),
        e.receivedAt(), e.identifiers().stream().map(IdentityGraphService::masked).toList(), e.link(), previous, e.properties(),
        e.traits(), e.context());
  }

  public GraphView graphOf(PersonId person, boolean revealPii) {
    List<IdentityGraphService.Node> nodes = graph.nodesOf(person);
    if (nodes.isEmpty()) {
      throw PondException.notFound("Person", person.value());
    }
    List<GraphNode> graphNodes = new ArrayList<>();
    Map<Integer, Boolean> inPerson = new LinkedHashMap<>();
    for (IdentityGraphService.Node n : nodes) {
      Identifier id = n.identifier(revealPii, graph.cipher());
      graphNodes.add(new GraphNode(n.id(), id.type(), id.scope(), id.value()));
      inPerson.put(n.id(), true);
    }
    // edges: each piece of evidence that changed the graph links its first (anchor) identifier to the others
    graph.checkpoint(); // the OLTP tables hold them once checkpointed
    Map<Long, List<Integer>> byEvidence = new LinkedHashMap<>();
    List<Integer> ids = new ArrayList<>(inPerson.keySet());
    for (int from = 0; from < ids.size(); from += 500) {
      List<Integer> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      String in = String.join(",", chunk.stream().map(String::valueOf).toList());
      // an identifier's edge to the evidence that created it is on its identity-map row (first_seq); the
      // edges to identifiers that existed before the evidence are rows of identity_evidence_node
      graph.store().jdbc()
          .sql("SELECT evidence_seq, node_id FROM identity_evidence_node WHERE node_id IN (" + in + ")"
              + " UNION SELECT first_seq, id FROM identity_identifier WHERE id IN (" + in + ") AND first_seq IS NOT NULL"
              + " ORDER BY 1, 2")
          .query(rs -> {
            byEvidence.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getInt(2));
          });
    }
    List<GraphEdge> edges = new ArrayList<>();
    for (Map.Entry<Long, List<Integer>> e : byEvidence.entrySet()) {
      if (e.getValue().size() < 2) {
        continue;
      }
      GraphStore.EvidenceRow row = graph.store().jdbc()
          .sql("SELECT seq, idem_key, kind, source, occurred_at, identifiers, person_id, outcome, reason, actor"
              + " FROM identity_evidence WHERE seq = ?")
          .param(e.getKey()).query((rs, n) -> GraphStore.evidence(rs)).single();
      List<Integer> order = anchorFirst(row, e.getValue());
      for (int i = 1; i < order.size(); i++) {
        edges.add(new GraphEdge(order.get(0), order.get(i), row.seq(), row.kind(), row.source(), row.occurredAt()));
      }
    }
    return new GraphView(person.value(), graphNodes, edges, merges(person));
  }

  /** The evidence's nodes in the order its keys were stored (arrival order), so that edges form a star. */
  private List<Integer> anchorFirst(GraphStore.EvidenceRow row, List<Integer> nodes) {
    List<Integer> out = new ArrayList<>();
    for (String key : row.identifiers().split(String.valueOf(GraphStore.KEY_SEPARATOR))) {
      int n = graph.nodeOfKey(key);
      if (nodes.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  public List<MergeView> merges(PersonId person) {
    graph.checkpoint();
    return graph.store().jdbc()
        .sql("SELECT m.id, m.survivor_id, m.merged_id, m.evidence_seq, m.moved_nodes, m.merged_at, m.split_at, m.split_by,"
            + " e.kind, e.source FROM identity_merge m LEFT JOIN identity_evidence e ON e.seq = m.evidence_seq"
            + " WHERE m.survivor_id = ? OR m.merged_id = ? ORDER BY m.id")
        .params(person.value(), person.value())
        .query((rs, n) -> {
          Timestamp split = rs.getTimestamp("split_at");
          return new MergeView(rs.getLong("id"), rs.getInt("survivor_id"), rs.getInt("merged_id"), rs.getLong("evidence_seq"),
              rs.getString("kind"), rs.getString("source"), rs.getTimestamp("merged_at").toInstant(),
              split == null ? null : split.toInstant(), rs.getString("split_by"),
              GraphStore.splitInts(rs.getString("moved_nodes")).length);
        })
        .list();
  }

  public List<ConflictView> conflicts(boolean openOnly, int limit) {
    graph.checkpoint();
    return graph.store().jdbc()
        .sql("SELECT id, person_a, person_b, type, scope, reason, evidence_seq, found_at, resolved_at, resolved_by, resolution"
            + " FROM identity_conflict" + (openOnly ? " WHERE resolved_at IS NULL" : "") + " ORDER BY id DESC LIMIT ?")
        .param(limit)
        .query((rs, n) -> {
          Timestamp resolved = rs.getTimestamp("resolved_at");
          return new ConflictView(rs.getLong("id"), rs.getInt("person_a"), rs.getInt("person_b"), rs.getString("type"),
              rs.getString("scope"), rs.getString("reason"), rs.getLong("evidence_seq"), rs.getTimestamp("found_at").toInstant(),
              resolved == null ? null : resolved.toInstant(), rs.getString("resolved_by"), rs.getString("resolution"));
        })
        .list();
  }

  // ---- changes ------------------------------------------------------------------------------------

  /** An operator merges persons by hand; the sticky and limit guards do not apply, the hard cap does. */
  public MergeResult merge(List<PersonId> persons, String note, String actor) {
    if (persons.size() < 2) {
      throw PondException.invalid("personIds", "name at least two persons");
    }
    List<String> anchors = new ArrayList<>();
    for (PersonId p : persons) {
      int[] members = graph.read(l -> l.graph.members(p.value()));
      if (members.length == 0) {
        throw PondException.notFound("Person", p.value());
      }
      anchors.add(graph.keyOfNode(members[0]));
    }
    Instant now = clock.instant();
    IdentityGraphService.Input input = new IdentityGraphService.Input(LinkKind.MANUAL, "console", now,
        "manual-merge:" + UUID.randomUUID(), List.of(), anchors, 0, actor, List.of(), null);
    IdentityGraphService.Batch.Applied applied =
        graph.applyInternal(input, (b, done) -> {
          List<Integer> ids = persons.stream().map(PersonId::value).toList();
          int updated = 0;
          for (int a : ids) {
            for (int c : ids) {
              if (a < c) {
                updated += graph.store().jdbc().sql("UPDATE identity_conflict SET resolved_at = ?, resolved_by = ?,"
                        + " resolution = 'merged' WHERE person_a = ? AND person_b = ? AND resolved_at IS NULL")
                    .params(Timestamp.from(now), actor, a, c).update();
              }
            }
          }
          audit.record(actor, "identity.persons.merged", "persons " + ids,
              "survivor " + b.graph.personOf(b.graph.find(anchors.get(0))) + ", conflicts resolved " + updated
                  + (note == null ? "" : ", note: " + note));
        });
    Resolution r = applied.resolution();
    if (r.outcome() instanceof Resolution.Outcome.Rejected rejected) {
      throw new PondException(ErrorCode.CONFLICT, "the persons cannot be merged: " + rejected.reason()
          + " (a person holds at most " + graph.hardCap() + " identifiers)");
    }
    List<Integer> merged = r.outcome() instanceof Resolution.Outcome.Merged m
        ? m.merged().stream().map(PersonId::value).toList() : List.of();
    return new MergeResult(r.person().map(PersonId::value).orElseThrow(), merged,
        r.outcome().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Undoes a merge: the identifiers the merged person brought go back to it (its old id when free).
   * Without {@code mergeId}, the latest merge into this person that is not split yet.
   */
  public SplitResult split(PersonId person, Long mergeId, String actor) {
    graph.checkpoint();
    GraphStore.MergeRow merge = graph.store().jdbc()
        .sql("SELECT id, survivor_id, merged_id, evidence_seq, moved_nodes, merged_at FROM identity_merge"
            + " WHERE survivor_id = ? AND split_at IS NULL" + (mergeId == null ? "" : " AND id = ?") + " ORDER BY id DESC LIMIT 1")
        .params(mergeId == null ? List.of(person.value()) : List.of(person.value(), mergeId))
        .query((rs, n) -> GraphStore.merge(rs))
        .optional()
        .orElseThrow(() -> mergeId == null
            ? new PondException(ErrorCode.NOT_FOUND, "person " + person + " has no merge to split")
            : new PondException(ErrorCode.NOT_FOUND, "merge " + mergeId + " into person " + person + " does not exist or is split already"));
    List<String> keys = new ArrayList<>();
    for (int n : merge.movedNodes()) {
      if (graph.personOfNode(n) == person.value()) {
        keys.add(graph.keyOfNode(n));
      }
    }
    if (keys.isEmpty()) {
      throw new PondException(ErrorCode.CONFLICT, "the identifiers of merge " + merge.id() + " are no longer in person " + person);
    }
    Instant now = clock.instant();
    IdentityGraphService.Input input = new IdentityGraphService.Input(LinkKind.SPLIT, "console", now,
        "split:" + merge.id() + ":" + UUID.randomUUID(), List.of(), keys, merge.merged(), actor, List.of(), null);
    IdentityGraphService.Batch.Applied applied =
        graph.applyInternal(input, (b, done) -> {
          if (!(done.resolution().outcome() instanceof Resolution.Outcome.Detached)) {
            return; // nothing moved: answered below, nothing recorded but the evidence
          }
          b.splitMark(merge.id(), now, actor);
          PersonId restored = done.resolution().person().orElseThrow();
          List<Identifier> moved = new ArrayList<>();
          for (int n : b.graph.members(restored.value())) {
            String[] parts = io.pond.identity.types.domain.PreparedIdentifier.parts(b.graph.keyOf(n));
            moved.add(new Identifier(parts[0], parts[1], parts[2].startsWith("h:") ? "(personal, masked)" : parts[2]));
          }
          audit.record(actor, "identity.person.split", "person " + person,
              "merge " + merge.id() + " undone; person " + restored + " restored with " + moved.size() + " identifiers");
          b.published.add(new PersonSplit(person, restored, merge.id(), moved, actor, now));
        });
    Resolution r = applied.resolution();
    if (!(r.outcome() instanceof Resolution.Outcome.Detached)) {
      throw new PondException(ErrorCode.CONFLICT, "nothing to split: every identifier of person " + person + " came from merge " + merge.id());
    }
    PersonId restored = r.person().orElseThrow();
    return new SplitResult(person.value(), restored.value(), merge.id(), identifiers(restored, false));
  }

  /** The operator looked at a conflict and keeps the persons apart. */
  public ConflictView dismiss(long conflictId, String actor) {
    graph.checkpoint();
    return tx.execute(s -> {
      int updated = graph.store().jdbc().sql("UPDATE identity_conflict SET resolved_at = ?, resolved_by = ?, resolution = 'kept_apart'"
              + " WHERE id = ? AND resolved_at IS NULL")
          .params(Timestamp.from(clock.instant()), actor, conflictId).update();
      if (updated == 0) {
        throw new PondException(ErrorCode.NOT_FOUND, "open conflict " + conflictId + " does not exist");
      }
      audit.record(actor, "identity.conflict.dismissed", "conflict " + conflictId, "kept apart");
      return conflicts(false, Integer.MAX_VALUE).stream().filter(c -> c.id() == conflictId).findFirst().orElseThrow();
    });
  }
}
