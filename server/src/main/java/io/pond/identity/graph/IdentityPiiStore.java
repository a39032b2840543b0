package io.pond.identity.graph;

import io.pond.identity.types.domain.PreparedIdentifier;
import io.pond.platform.pii.PiiCipher;
import io.pond.platform.pii.PiiStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Identity's personal data under a key rotation: the sealed phones and e-mails of the identity map,
 * their match keys ({@code type US scope US h:<keyed hash>}), and the same match keys inside the
 * evidence log (which a rebuild replays). Every identifier is re-sealed and re-hashed first, recording
 * which key each old hash (under any key of the ring) now becomes; then evidence rows that hold a
 * personal key are rewritten with that map. Both passes are idempotent, so a second run finishes an
 * interrupted one. The graph generation is bumped at the end, so a running server reloads.
 */
class IdentityPiiStore implements PiiStore {

  private static final String HASHED = "h:";

  private final IdentityGraphService graph;
  private final GraphStore store;
  private final TransactionTemplate tx;

  IdentityPiiStore(IdentityGraphService graph, TransactionTemplate tx) {
    this.graph = graph;
    this.store = graph.store();
    this.tx = tx;
  }

  @Override
  public String name() {
    return "identity identifiers and evidence";
  }

  @Override
  public long size() {
    return store.jdbc().sql("SELECT COUNT(*) FROM identity_identifier WHERE value_enc IS NOT NULL").query(Long.class).single()
        + store.jdbc().sql("SELECT COUNT(*) FROM identity_evidence WHERE identifiers LIKE ?").param("%" + HASHED + "%")
            .query(Long.class).single();
  }

  private record Sealed(int id, String key, String valueEnc) {}

  @Override
  public long rekey(PiiCipher cipher, int batchSize, LongConsumer progress) {
    graph.checkpoint(); // every identifier the log names has its row (and sealed value) in the identity map
    Map<String, String> renamed = new HashMap<>();
    long[] done = {0};
    long[] changed = {0};
    int[] after = {-1};
    while (true) {
      List<Sealed> rows = store.jdbc()
          .sql("SELECT id, id_key, value_enc FROM identity_identifier WHERE value_enc IS NOT NULL AND id > ? ORDER BY id LIMIT ?")
          .params(after[0], batchSize)
          .query((rs, n) -> new Sealed(rs.getInt(1), rs.getString(2), rs.getString(3)))
          .list();
      if (rows.isEmpty()) {
        break;
      }
      List<Sealed> updates = new ArrayList<>();
      for (Sealed row : rows) {
        String value;
        try {
          value = cipher.decrypt(row.valueEnc());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("identity_identifier " + row.id() + ": " + e.getMessage(), e);
        }
        String[] parts = PreparedIdentifier.parts(row.key());
        List<String> hashes = cipher.keyedHashesUnderEveryKey(value);
        String key = PreparedIdentifier.key(parts[0], parts[1], HASHED + hashes.get(0));
        for (String h : hashes) {
          renamed.put(PreparedIdentifier.key(parts[0], parts[1], HASHED + h), key);
        }
        String sealed = cipher.reseal(row.valueEnc());
        if (!key.equals(row.key()) || !sealed.equals(row.valueEnc())) {
          updates.add(new Sealed(row.id(), key, sealed));
        }
      }
      tx.executeWithoutResult(s -> batchUpdate(
          "UPDATE identity_identifier SET id_key = ?, value_enc = ? WHERE id = ?", updates,
          (ps, u) -> {
            ps.setString(1, u.key());
            ps.setString(2, u.valueEnc());
            ps.setInt(3, u.id());
          }));
      changed[0] += updates.size();
      after[0] = rows.get(rows.size() - 1).id();
      done[0] += rows.size();
      progress.accept(done[0]);
    }

    long[] afterSeq = {0};
    String separator = String.valueOf(GraphStore.KEY_SEPARATOR);
    while (true) {
      List<long[]> seqs = new ArrayList<>();
      List<String> identifiers = new ArrayList<>();
      store.jdbc().sql("SELECT seq, identifiers FROM identity_evidence WHERE seq > ? AND identifiers LIKE ? ORDER BY seq LIMIT ?")
          .params(afterSeq[0], "%" + HASHED + "%", batchSize)
          .query(rs -> {
            seqs.add(new long[] {rs.getLong(1)});
            identifiers.add(rs.getString(2));
          });
      if (seqs.isEmpty()) {
        break;
      }
      List<Object[]> updates = new ArrayList<>();
      for (int i = 0; i < seqs.size(); i++) {
        String[] keys = identifiers.get(i).split(separator, -1);
        boolean dirty = false;
        for (int k = 0; k < keys.length; k++) {
          String next = renamed.get(keys[k]);
          if (next != null && !next.equals(keys[k])) {
            keys[k] = next;
            dirty = true;
          }
        }
        if (dirty) {
          updates.add(new Object[] {String.join(separator, keys), seqs.get(i)[0]});
        }
      }
      tx.executeWithoutResult(s -> batchUpdate("UPDATE identity_evidence SET identifiers = ? WHERE seq = ?", updates,
          (ps, u) -> {
            ps.setString(1, (String) u[0]);
            ps.setLong(2, (Long) u[1]);
          }));
      changed[0] += updates.size();
      afterSeq[0] = seqs.get(seqs.size() - 1)[0];
      done[0] += seqs.size();
      progress.accept(done[0]);
    }
    // the evidence log: match keys renamed, sealed values sealed again under the new key
    graph.checkpointLock().lock();
    graph.lock().writeLock().lock();
    try {
      changed[0] += graph.evidenceLog().rewrite(e -> {
        String[] keys = e.keys().clone();
        String[] sealed = e.sealed() == null ? null : e.sealed().clone();
        boolean dirty = false;
        for (int k = 0; k < keys.length; k++) {
          String next = renamed.get(keys[k]);
          if (next != null && !next.equals(keys[k])) {
            keys[k] = next;
            dirty = true;
          }
          if (sealed != null && sealed[k] != null) {
            String resealed = cipher.reseal(sealed[k]);
            dirty |= !resealed.equals(sealed[k]);
            sealed[k] = resealed;
          }
        }
        return !dirty ? e : new EvidenceLog.Entry(e.seq(), e.kind(), e.occurredAt(), e.idemKey(), e.source(), keys, sealed,
            e.person(), e.outcome(), e.reason(), e.actor());
      });
    } finally {
      graph.lock().writeLock().unlock();
      graph.checkpointLock().unlock();
    }
    store.jdbc().sql("UPDATE identity_state SET generation = generation + 1 WHERE id = 1").update();
    graph.load();
    return changed[0];
  }

  private <T> void batchUpdate(String sql, List<T> rows,
      org.springframework.jdbc.core.ParameterizedPreparedStatementSetter<T> setter) {
    if (!rows.isEmpty()) {
      store.template().batchUpdate(sql, rows, 1000, setter);
    }
  }
}
