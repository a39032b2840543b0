package io.pond.identity.graph;

import io.pond.identity.IdentifierErasure;
import io.pond.identity.PersonId;
import io.pond.platform.PhoneNumbers;
import io.pond.identity.types.domain.PreparedIdentifier;
import io.pond.platform.Identifier;
import io.pond.platform.audit.AuditLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link IdentifierErasure} over the graph's store: rewrites the keys of the person's personal
 * identifiers to tombstones, then reloads the in-memory graph (and bumps its generation, so that other
 * processes reload too). Erasures are rare; a reload is the simplest way to keep memory and store equal.
 */
@Component
class IdentifierEraser implements IdentifierErasure {

  static final String TOMBSTONE = "erased:";

  private final IdentityGraphService graph;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  IdentifierEraser(IdentityGraphService graph, AuditLog audit, TransactionTemplate tx) {
    this.graph = graph;
    this.audit = audit;
    this.tx = new TransactionTemplate(tx.getTransactionManager());
    this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  @Override
  public List<Identifier> personalIdentifiersOf(PersonId person) {
    return PhoneNumbers.withSpellings(
        graph.nodesOf(person).stream().filter(n -> n.sealed() != null).map(n -> n.identifier(true, graph.cipher())).toList());
  }

  @Override
  public int erasePersonalIdentifiers(PersonId person, String pseudonym, String actor) {
    graph.loaded();
    graph.checkpoint(); // the person's identifiers have their rows
    graph.checkpointLock().lock();
    graph.lock().writeLock().lock();
    try {
      Map<String, String> tombstones = new LinkedHashMap<>();
      Map<Integer, String> nodes = new LinkedHashMap<>();
      for (IdentityGraphService.Node n : graph.nodesOf(person)) {
        if (n.sealed() == null) {
          continue; // not personal data (or already erased)
        }
        String old = graph.keyOfNode(n.id());
        String tombstone = PreparedIdentifier.key(n.type(), n.scope(), TOMBSTONE + pseudonym + ":" + n.id());
        tombstones.put(old, tombstone);
        nodes.put(n.id(), tombstone);
      }
      if (nodes.isEmpty()) {
        return 0;
      }
      tx.executeWithoutResult(s -> {
        GraphStore store = graph.store();
        for (Map.Entry<Integer, String> e : nodes.entrySet()) {
          store.jdbc().sql("UPDATE identity_identifier SET id_key = ?, plain_value = NULL, value_enc = NULL WHERE id = ?")
              .params(e.getValue(), e.getKey()).update();
        }
        // PERF: a scan of the evidence log per erased value; erasures are rare and the log must not keep the hash
        for (Map.Entry<String, String> t : tombstones.entrySet()) {
          List<Object[]> rows = new ArrayList<>();
          store.jdbc().sql("SELECT seq, identifiers FROM identity_evidence WHERE POSITION(? IN identifiers) > 0")
              .param(t.getKey())
              .query(rs -> {
                rows.add(new Object[] {rs.getLong(1), rs.getString(2)});
              });
          for (Object[] row : rows) {
            String[] keys = ((String) row[1]).split(String.valueOf(GraphStore.KEY_SEPARATOR), -1);
            for (int i = 0; i < keys.length; i++) {
              if (keys[i].equals(t.getKey())) {
                keys[i] = t.getValue();
              }
            }
            store.jdbc().sql("UPDATE identity_evidence SET identifiers = ? WHERE seq = ?")
                .params(String.join(String.valueOf(GraphStore.KEY_SEPARATOR), keys), row[0]).update();
          }
        }
        GraphStore.State state = store.state();
        store.replaceState(new GraphStore.State(state.generation() + 1, state.nextPerson(), state.nextSeq(),
            state.nextMerge(), state.nextConflict()));
        audit.record(actor, "identity.identifiers.erased", "person " + person,
            nodes.size() + " personal identifiers erased under pseudonym " + pseudonym);
      });
      // the evidence log keeps neither the hash nor the sealed value
      graph.evidenceLog().rewrite(e -> {
        String[] keys = null;
        String[] sealed = e.sealed();
        for (int i = 0; i < e.keys().length; i++) {
          String tombstone = tombstones.get(e.keys()[i]);
          if (tombstone != null) {
            if (keys == null) {
              keys = e.keys().clone();
              sealed = sealed == null ? null : sealed.clone();
            }
            keys[i] = tombstone;
            if (sealed != null) {
              sealed[i] = null;
            }
          }
        }
        return keys == null ? e : new EvidenceLog.Entry(e.seq(), e.kind(), e.occurredAt(), e.idemKey(), e.source(), keys,
            sealed, e.person(), e.outcome(), e.reason(), e.actor());
      });
      graph.load();
      return nodes.size();
    } finally {
      graph.lock().writeLock().unlock();
      graph.checkpointLock().unlock();
    }
  }
}
