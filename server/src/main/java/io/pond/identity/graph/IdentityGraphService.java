package io.pond.identity.graph;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.PersonsMerged;
import io.pond.identity.Resolution;
import io.pond.identity.Resolution.Outcome;
import io.pond.identity.ResolvingIdentity;
import io.pond.identity.graph.domain.IdentityGraph;
import io.pond.identity.graph.domain.LongHashSet;
import io.pond.identity.types.IdentifierTypes;
import io.pond.identity.types.domain.IdentifierRules;
import io.pond.identity.types.domain.IdentifierType;
import io.pond.identity.types.domain.PiiKind;
import io.pond.identity.types.domain.PreparedIdentifier;
import io.pond.platform.Identifier;
import io.pond.platform.pii.PiiCipher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resolution and lookups over the in-memory graph, with every change written to the OLTP store in the
 * transaction of its batch. One writer at a time (resolution is CPU-bound and short); readers share a
 * read lock. When a write fails, the in-memory graph is reloaded from the store, which is the truth.
 */
public class IdentityGraphService implements ResolvingIdentity, Persons {

  /** What is held in memory: the graph, sealed personal values, idempotency fingerprints, counters. */
  static final class Loaded {
    final IdentityGraph graph;
    String[] sealed;
    final LongHashSet seen;
    long generation;
    long nextSeq;
    long nextMerge;
    long nextConflict;
    int rulesRevision = -1;

    Loaded(IdentityGraph graph, int expectedNodes, int expectedEvidence) {
      this.graph = graph;
      this.sealed = new String[Math.max(16, expectedNodes)];
      this.seen = new LongHashSet(expectedEvidence);
    }

    void seal(int node, String value) {
      if (node >= sealed.length) {
        sealed = Arrays.copyOf(sealed, Math.max(node + 1, sealed.length * 2));
      }
      sealed[node] = value;
    }

    String sealedOf(int node) {
      return node < sealed.length ? sealed[node] : null;
    }
  }

  /** One piece of evidence in the graph's own terms: prepared keys instead of raw identifiers. */
  record Input(
      LinkKind kind, String source, Instant occurredAt, String idemKey, List<PreparedIdentifier> identifiers,
      List<String> keys, int restorePerson, String actor, List<Resolution.Refused> refused, String rejection) {}

  private static final class StaleGraph extends RuntimeException {
    StaleGraph() {
      super("the identity graph was rebuilt meanwhile", null, false, false);
    }
  }

  private final GraphStore store;
  private final IdentifierTypes types;
  private final PiiCipher cipher;
  private final TransactionTemplate tx;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final int hardCap;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile Loaded loaded;

  public IdentityGraphService(
      GraphStore store, IdentifierTypes types, PiiCipher cipher, TransactionTemplate tx,
      ApplicationEventPublisher events, Clock clock, int hardCap) {
    this.store = store;
    this.types = types;
    this.cipher = cipher;
    this.tx = new TransactionTemplate(tx.getTransactionManager(), tx);
    this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.events = events;
    this.clock = clock;
    this.hardCap = hardCap;
  }

  int hardCap() {
    return hardCap;
  }

  GraphStore store() {
    return store;
  }

  IdentifierTypes types() {
    return types;
  }

  PiiCipher cipher() {
    return cipher;
  }

  // ---- loading -----------------------------------------------------------------------------------

  /** Loads the graph from the store (at start-up, after a failed write, after a rebuild elsewhere). */
  public void load() {
    // the connection first, then the lock: a thread holding the lock never waits for the pool, whose
    // connections may all be held by readers waiting for the lock
    tx.executeWithoutResult(s -> {
      lock.writeLock().lock();
      try {
        loaded = readStore();
      } finally {
        lock.writeLock().unlock();
      }
    });
  }

  /** Whether the store's graph generation moved on (a rebuild by another process); reloads if so. */
  public void refreshIfRebuilt() {
    Loaded current = loaded;
    if (current != null && store.state().generation() != current.generation) {
      load();
    }
  }

  private Loaded readStore() {
    GraphStore.State state = store.state();
    int nodes = store.jdbc().sql("SELECT COUNT(*) FROM identity_identifier").query(Integer.class).single();
    long evidence = store.evidenceCount();
    IdentityGraph graph = new IdentityGraph(hardCap, nodes + 16);
    Loaded l = new Loaded(graph, nodes + 16, (int) Math.min(Integer.MAX_VALUE / 4, evidence + 16));
    syncRules(l);
    store.eachNode(
        n -> {
          int type = typeIndex(l, n.type());
          graph.restore(n.id(), n.key(), type, graph.scope(n.scope()), n.person(), n.attachedAt().getEpochSecond());
          if (n.valueEnc() != null) {
            l.seal(n.id(), n.valueEnc());
          }
        });
    graph.reservePersonsBelow(state.nextPerson());
    store.eachApartPair(pair -> graph.keepApart(pair[0], pair[1]));
    store.eachIdempotencyFingerprint(l.seen::add);
    for (int[] pair : store.openConflictPairs()) {
      graph.knownConflict(pair[0], pair[1]);
    }
    l.generation = state.generation();
    l.nextSeq = state.nextSeq();
    l.nextMerge = state.nextMerge();
    l.nextConflict = state.nextConflict();
    return l;
  }

  /** The graph's index of a type; a type that is no longer registered keeps neutral rules. */
  private static int typeIndex(Loaded l, String type) {
    try {
      return l.graph.typeIndex(type);
    } catch (IllegalArgumentException unknown) {
      return l.graph.rule(new IdentityGraph.TypeRule(type, false, 0, Integer.MAX_VALUE, 0));
    }
  }

  private void syncRules(Loaded l) {
    int revision = types.revision();
    if (l.rulesRevision == revision) {
      return;
    }
    for (IdentifierType t : types.rules().types()) {
      l.graph.rule(rule(t));
    }
    l.rulesRevision = revision;
  }

  static IdentityGraph.TypeRule rule(IdentifierType t) {
    return new IdentityGraph.TypeRule(t.name(), t.strong(), t.priority(), t.maxPerPerson(), t.windowDays() * 86_400L);
  }

  Loaded loaded() {
    Loaded l = loaded;
    if (l == null) {
      load();
      l = loaded;
    }
    return l;
  }

  <T> T read(java.util.function.Function<Loaded, T> reader) {
    loaded();
    lock.readLock().lock();
    try {
      return reader.apply(loaded);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Runs a write under the writer lock in a transaction of its own (REQUIRES_NEW, even when the caller
   * is inside a transaction, as event listeners and the event-log consumer are) that commits before the
   * lock is released. Joining the caller's transaction would let the next writer see the in-memory graph
   * of a write that is not committed yet (or is rolled back later): it would miss the evidence in the
   * store and record the same idempotency key a second time. Reloads the graph when the write fails.
   */
  <T> T write(Supplier<T> work) {
    loaded();
    for (int attempt = 0; ; attempt++) {
      try {
        // the transaction (and its connection) first, then the lock, released after the commit: a thread
        // holding the lock never waits for the pool, whose connections readers waiting for the lock may hold
        return tx.execute(s -> {
          lock.writeLock().lock();
          TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
              lock.writeLock().unlock();
            }
          });
          return work.get();
        });
      } catch (StaleGraph stale) {
        load();
        if (attempt > 0) {
          throw new IllegalStateException("the identity graph keeps being rebuilt; try again later");
        }
      } catch (RuntimeException | Error e) {
        load();
        throw e;
      }
    }
  }

  void swap(Loaded rebuilt) {
    lock.writeLock().lock();
    try {
      loaded = rebuilt;
    } finally {
      lock.writeLock().unlock();
    }
  }

  ReentrantReadWriteLock lock() {
    return lock;
  }

  // ---- resolution ----------------------------------------------------------------------------------

  @Override
  public Resolution resolve(Evidence evidence) {
    return resolveAll(List.of(evidence)).get(0);
  }

  @Override
  public List<Resolution> resolveAll(List<Evidence> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    return write(
        () -> {
          Loaded l = loaded;
          syncRules(l);
          IdentifierRules rules = types.rules();
          Batch b = new Batch(l);
          List<Resolution> out = new ArrayList<>(batch.size());
          for (Evidence e : batch) {
            out.add(b.apply(prepare(rules, e)));
          }
          b.commit();
          return out;
        });
  }

  /** Applies evidence given as prepared keys (manual merges and splits), in its own transaction. */
  Batch.Applied applyInternal(Input input, java.util.function.BiConsumer<Batch, Batch.Applied> more) {
    return write(
        () -> {
          Loaded l = loaded;
          syncRules(l);
          Batch b = new Batch(l);
          Batch.Applied applied = b.applyDetailed(input);
          more.accept(b, applied);
          b.commit();
          return applied;
        });
  }

  private static Input prepare(IdentifierRules rules, Evidence e) {
    List<Resolution.Refused> refused = new ArrayList<>(0);
    Map<String, PreparedIdentifier> accepted = new LinkedHashMap<>();
    String rejection = null;
    if (e.kind() == LinkKind.SPLIT) {
      rejection = "split_only_through_the_split_api";
    } else if (e.identifiers().size() > Evidence.MAX_IDENTIFIERS) {
      rejection = "too_many_identifiers";
    } else {
      for (Identifier id : e.identifiers()) {
        switch (rules.check(id)) {
          case IdentifierRules.Accepted a -> accepted.putIfAbsent(a.identifier().key(), a.identifier());
          case IdentifierRules.Refused r -> refused.add(new Resolution.Refused(masked(id), r.reason()));
        }
      }
    }
    List<PreparedIdentifier> ids = List.copyOf(accepted.values());
    return new Input(e.kind(), e.source(), e.occurredAt(), e.idempotencyKey(), ids, List.copyOf(accepted.keySet()), 0,
        null, refused, rejection);
  }

  /** A phone or e-mail masked as callers without the right to see personal data are shown it. */
  static Identifier masked(Identifier id) {
    boolean pii = Identifier.PHONE.equals(id.type()) || Identifier.EMAIL.equals(id.type());
    return pii ? new Identifier(id.type(), id.scope(), PiiCipher.mask(id.value())) : id;
  }

  /** One transaction's worth of resolutions: applies them to the graph and collects the writes. */
  final class Batch implements IdentityGraph.Changes {
    final Loaded l;
    final IdentityGraph graph;
    final GraphStore.Writes writes = new GraphStore.Writes();
    final BitSet dirty = new BitSet();
    final int persistedNodes;
    final Map<String, Long> batchKeys = new HashMap<>();
    final Map<Integer, PreparedIdentifier> fresh = new HashMap<>();
    final Map<Long, int[]> apartTouched = new LinkedHashMap<>();
    final List<Object> published = new ArrayList<>();
    final Instant now = clock.instant();
    long seq;
    Input current;
    List<PersonId> mergedNow;

    record Applied(Resolution resolution, long seq, List<Long> mergeIds) {}

    List<Long> mergeIdsNow;

    Batch(Loaded l) {
      this.l = l;
      this.graph = l.graph;
      this.persistedNodes = graph.nodeCount();
    }

    Resolution apply(Input in) {
      return applyDetailed(in).resolution();
    }

    Applied applyDetailed(Input in) {
      long fingerprint = LongHashSet.fingerprint(in.idemKey());
      if (batchKeys.containsKey(in.idemKey())
          || (l.seen.contains(fingerprint) && store.evidenceByKey(in.idemKey()).isPresent())) {
        return new Applied(replay(in), -1, List.of());
      }
      seq = l.nextSeq++;
      current = in;
      mergedNow = new ArrayList<>(0);
      mergeIdsNow = new ArrayList<>(0);
      batchKeys.put(in.idemKey(), seq);
      l.seen.add(fingerprint);

      IdentityGraph.Result result;
      int[] nodes;
      if (in.rejection() != null) {
        nodes = new int[0];
        result = new IdentityGraph.Result(IdentityGraph.NO_PERSON, IdentityGraph.Kind.REJECTED, List.of(), null);
      } else if (in.kind() == LinkKind.UNBIND || in.kind() == LinkKind.MANUAL || in.kind() == LinkKind.SPLIT) {
        nodes = known(in.keys());
        result = switch (in.kind()) {
          case UNBIND -> graph.unbind(nodes, this);
          case MANUAL -> graph.forceMerge(nodes, this);
          default -> graph.split(nodes, in.restorePerson(), this);
        };
      } else {
        nodes = new int[in.identifiers().size()];
        for (int i = 0; i < nodes.length; i++) {
          PreparedIdentifier p = in.identifiers().get(i);
          int before = graph.nodeCount();
          int node = graph.node(p.key(), typeIndex(l, p.type().name()), graph.scope(p.scope()));
          if (node >= before) {
            fresh.put(node, p);
            if (p.pii()) {
              l.seal(node, cipher.encrypt(p.value()));
            }
          }
          nodes[i] = node;
        }
        result = graph.link(nodes, in.occurredAt().getEpochSecond(), this);
      }

      Outcome outcome = outcome(in, result);
      List<String> reasons = new ArrayList<>(result.notes());
      in.refused().forEach(r -> reasons.add(r.reason()));
      if (result.conflictReason() != null) {
        reasons.add(0, result.conflictReason());
      }
      if (in.rejection() != null) {
        reasons.add(0, in.rejection());
      }
      String reason = reasons.isEmpty() ? null : truncate(String.join(",", reasons), 1000);
      Integer person = in.kind() == LinkKind.SPLIT ? Integer.valueOf(in.restorePerson())
          : result.person() == IdentityGraph.NO_PERSON ? null : result.person();
      writes.evidence.add(new GraphStore.EvidenceRow(seq, in.idemKey(), in.kind().wire(), truncate(in.source(), 100),
          in.occurredAt(), String.join(String.valueOf(GraphStore.KEY_SEPARATOR), in.keys()), person,
          result.kind().name().toLowerCase(java.util.Locale.ROOT), reason, in.actor()));
      if (result.kind() != IdentityGraph.Kind.UNCHANGED && result.kind() != IdentityGraph.Kind.REJECTED) {
        for (int n : nodes) {
          writes.evidenceNodes.add(new long[] {n, seq});
        }
      }
      List<Resolution.Refused> refused = new ArrayList<>(in.refused());
      for (String note : result.notes()) {
        refused.add(new Resolution.Refused(null, note));
      }
      Optional<PersonId> resolved =
          result.person() == IdentityGraph.NO_PERSON ? Optional.empty() : Optional.of(PersonId.of(result.person()));
      return new Applied(new Resolution(resolved, outcome, List.copyOf(refused)), seq, List.copyOf(mergeIdsNow));
    }

    private int[] known(List<String> keys) {
      int[] nodes = new int[keys.size()];
      int count = 0;
      for (String k : keys) {
        int n = graph.find(k);
        if (n >= 0) {
          nodes[count++] = n;
        }
      }
      return Arrays.copyOf(nodes, count);
    }

    private Outcome outcome(Input in, IdentityGraph.Result r) {
      return switch (r.kind()) {
        case CREATED -> new Outcome.Created();
        case ATTACHED -> new Outcome.Attached();
        case MERGED -> new Outcome.Merged(List.copyOf(mergedNow));
        case UNCHANGED -> new Outcome.Unchanged(false);
        case DETACHED -> new Outcome.Detached();
        case CONFLICT -> new Outcome.Conflict(r.conflictReason());
        case REJECTED -> new Outcome.Rejected(
            in.rejection() != null ? in.rejection() : !r.notes().isEmpty() ? r.notes().get(0) : "no_usable_identifier");
      };
    }

    private Resolution replay(Input in) {
      Long inBatch = batchKeys.get(in.idemKey());
      String firstKey;
      if (inBatch != null) {
        firstKey = writes.evidence.stream().filter(e -> e.seq() == inBatch).findFirst()
            .map(e -> e.identifiers()).orElse("");
      } else {
        firstKey = store.evidenceByKey(in.idemKey()).map(GraphStore.EvidenceRow::identifiers).orElse("");
      }
      int sep = firstKey.indexOf(GraphStore.KEY_SEPARATOR);
      String key = sep < 0 ? firstKey : firstKey.substring(0, sep);
      int node = key.isEmpty() ? -1 : graph.find(key);
      int person = node < 0 ? IdentityGraph.NO_PERSON : graph.personOf(node);
      return new Resolution(person == IdentityGraph.NO_PERSON ? Optional.empty() : Optional.of(PersonId.of(person)),
          new Outcome.Unchanged(true), List.of());
    }

    @Override
    public void nodeChanged(int node) {
      dirty.set(node);
    }

    @Override
    public void personsMerged(int survivor, int merged, int[] movedNodes) {
      long id = l.nextMerge++;
      writes.merges.add(new GraphStore.MergeRow(id, survivor, merged, seq, movedNodes, now));
      mergedNow.add(PersonId.of(merged));
      mergeIdsNow.add(id);
      published.add(new PersonsMerged(PersonId.of(survivor), PersonId.of(merged), id, current.kind(),
          current.source(), current.idemKey(), now));
    }

    @Override
    public void conflictFound(int personA, int personB, String type, String scope, String reason) {
      writes.conflicts.add(new GraphStore.ConflictRow(l.nextConflict++, Math.min(personA, personB),
          Math.max(personA, personB), type, scope, reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason,
          seq, now));
    }

    @Override
    public void apartChanged(int personA, int personB, boolean apart) {
      apartTouched.put(((long) personA << 32) | personB, new int[] {personA, personB});
    }

    void commit() {
      for (int[] pair : apartTouched.values()) {
        writes.apartRemoved.add(pair); // rows are rewritten from the pair's final state in this batch
        if (graph.keptApart(pair[0], pair[1])) {
          writes.apartAdded.add(pair);
        }
      }
      for (int n = dirty.nextSetBit(0); n >= 0; n = dirty.nextSetBit(n + 1)) {
        Instant attached = Instant.ofEpochSecond(graph.attachedAt(n));
        if (n >= persistedNodes) {
          PreparedIdentifier p = fresh.get(n);
          writes.newNodes.add(new GraphStore.NodeRow(n, p.key(), p.type().name(), p.scope(),
              p.pii() ? null : p.value(), p.pii() ? l.sealedOf(n) : null, graph.personOf(n), attached));
        } else {
          writes.movedNodes.add(new GraphStore.NodeRow(n, null, null, null, null, null, graph.personOf(n), attached));
        }
      }
      GraphStore.State next = new GraphStore.State(l.generation, graph.nextPerson(), l.nextSeq, l.nextMerge, l.nextConflict);
      if (!store.advance(l.generation, next)) {
        throw new StaleGraph();
      }
      store.write(writes);
      published.forEach(events::publishEvent);
    }
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }

  // ---- queries -----------------------------------------------------------------------------------

  @Override
  public Optional<PersonId> personOf(Identifier identifier) {
    if (!(types.rules().check(identifier) instanceof IdentifierRules.Accepted accepted)) {
      return Optional.empty();
    }
    return read(l -> {
      int node = l.graph.find(accepted.identifier().key());
      int person = node < 0 ? IdentityGraph.NO_PERSON : l.graph.personOf(node);
      return person == IdentityGraph.NO_PERSON ? Optional.empty() : Optional.of(PersonId.of(person));
    });
  }

  @Override
  public List<Identifier> identifiersOf(PersonId person) {
    return nodesOf(person).stream().map(n -> n.identifier(true, cipher)).toList();
  }

  @Override
  public Optional<PersonId> current(PersonId person) {
    int p = person.value();
    for (int hops = 0; hops < 1000; hops++) {
      int probe = p;
      if (read(l -> l.graph.size(probe)) > 0) {
        return Optional.of(PersonId.of(p));
      }
      Optional<Integer> survivor =
          store.jdbc().sql("SELECT survivor_id FROM identity_merge WHERE merged_id = ? AND split_at IS NULL ORDER BY id DESC")
              .param(probe).query(Integer.class).optional();
      if (survivor.isEmpty()) {
        return Optional.empty();
      }
      p = survivor.get();
    }
    return Optional.empty();
  }

  /** One identifier of a person, as the graph holds it. */
  record Node(int id, String type, String scope, String plain, String sealed, long attachedAtSecond) {
    Identifier identifier(boolean reveal, PiiCipher cipher) {
      if (sealed == null) {
        return new Identifier(type, scope, plain);
      }
      String value = cipher.decrypt(sealed);
      return new Identifier(type, scope, reveal ? value : PiiCipher.mask(value));
    }
  }

  List<Node> nodesOf(PersonId person) {
    return read(l -> {
      int[] members = l.graph.members(person.value());
      Arrays.sort(members);
      List<Node> out = new ArrayList<>(members.length);
      for (int n : members) {
        String[] parts = PreparedIdentifier.parts(l.graph.keyOf(n));
        String sealed = l.sealedOf(n);
        out.add(new Node(n, parts[0], parts[1], sealed == null ? parts[2] : null, sealed, l.graph.attachedAt(n)));
      }
      return out;
    });
  }

  int personOfNode(int node) {
    return read(l -> node < l.graph.nodeCount() ? l.graph.personOf(node) : IdentityGraph.NO_PERSON);
  }

  String keyOfNode(int node) {
    return read(l -> node < l.graph.nodeCount() ? l.graph.keyOf(node) : null);
  }

  int nodeOfKey(String key) {
    return read(l -> l.graph.find(key));
  }

  static boolean isPii(IdentifierType type) {
    return type != null && type.pii() != PiiKind.NONE;
  }
}
