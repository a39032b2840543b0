package io.pond.identity.graph;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.PersonsMerged;
import io.pond.identity.Resolution.Outcome;
import io.pond.identity.Resolution;
import io.pond.identity.ResolvingIdentity;
import io.pond.identity.graph.domain.IdentityGraph;
import io.pond.identity.graph.domain.LongHashSet;
import io.pond.identity.graph.domain.LongLongMap;
import io.pond.identity.types.IdentifierTypes;
import io.pond.identity.types.domain.IdentifierRules;
import io.pond.identity.types.domain.IdentifierType;
import io.pond.identity.types.domain.PiiKind;
import io.pond.identity.types.domain.PreparedIdentifier;
import io.pond.platform.Identifier;
import io.pond.platform.pii.PiiCipher;
import java.nio.file.Path;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resolution and lookups over the in-memory graph. The evidence log ({@link EvidenceLog}, an
 * append-only file) is the source of truth: each batch of evidence is applied in memory, appended to
 * the log and forced to disk before its caller is answered. The OLTP tables are a checkpoint of what
 * the log implies (identity map, graph-changing evidence, merges, conflicts), written in bulk: at once
 * when a batch publishes events (merges, conflicts, splits: the events go out in the checkpoint's
 * transaction), otherwise every {@code checkpointMessages} messages in the background, every few
 * seconds on a server, before any read of those tables, and on shutdown. Repeat sightings therefore
 * cost no OLTP write. At load, the log records the checkpoint does not cover yet (a crash) are applied
 * again. One writer at a time; readers share a read lock.
 */
public class IdentityGraphService implements ResolvingIdentity, Persons, AutoCloseable {

  /** What is held in memory: the graph, sealed personal values, idempotency fingerprints, counters. */
  static final class Loaded {
    final IdentityGraph graph;
    String[] sealed;
    final LongLongMap seen; // fingerprint of an idempotency key -> offset of its first record in the log
    long generation;
    long nextSeq;
    long nextMerge;
    long nextConflict;
    int rulesRevision = -1;
    int checkpointedNodes; // nodes below this have rows in the identity map
    Pending pending = new Pending();

    Loaded(IdentityGraph graph, int expectedNodes, int expectedEvidence) {
      this.graph = graph;
      this.sealed = new String[Math.max(16, expectedNodes)];
      this.seen = new LongLongMap(expectedEvidence);
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

  /** What the OLTP checkpoint does not hold yet. */
  static final class Pending {
    final GraphStore.Writes writes = new GraphStore.Writes();
    final BitSet dirty = new BitSet();
    final Map<Long, int[]> apartTouched = new LinkedHashMap<>();
    final List<Object> published = new ArrayList<>();
    long messages;
    /** Per identifier created since the last checkpoint (index: node - checkpointed nodes), the evidence that created it. */
    long[] firstSeq = new long[0];

    void firstSeq(int index, long seq) {
      if (index >= firstSeq.length) {
        firstSeq = Arrays.copyOf(firstSeq, Math.max(index + 1, Math.max(1024, firstSeq.length * 2)));
      }
      firstSeq[index] = seq;
    }

    long firstSeqOf(int index) {
      return index < firstSeq.length ? firstSeq[index] : 0;
    }

    boolean isEmpty() {
      return messages == 0 && dirty.isEmpty() && published.isEmpty() && apartTouched.isEmpty()
          && writes.splitMerges.isEmpty();
    }
  }

  /** One piece of evidence in the graph's own terms: prepared keys instead of raw identifiers. */
  record Input(
      LinkKind kind, String source, Instant occurredAt, String idemKey, List<PreparedIdentifier> identifiers,
      List<String> keys, int restorePerson, String actor, List<Resolution.Refused> refused, String rejection,
      String[] sealed) {

    Input(LinkKind kind, String source, Instant occurredAt, String idemKey, List<PreparedIdentifier> identifiers,
        List<String> keys, int restorePerson, String actor, List<Resolution.Refused> refused, String rejection) {
      this(kind, source, occurredAt, idemKey, identifiers, keys, restorePerson, actor, refused, rejection, null);
    }
  }

  private static final class StaleGraph extends RuntimeException {
    StaleGraph() {
      super("the identity graph was rebuilt meanwhile", null, false, false);
    }
  }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IdentityGraphService.class);

  private final GraphStore store;
  private final IdentifierTypes types;
  private final PiiCipher cipher;
  private final TransactionTemplate tx;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final int hardCap;
  private final Path logDir;
  private final long checkpointMessages;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ReentrantLock checkpointLock = new ReentrantLock();
  private final AtomicBoolean checkpointQueued = new AtomicBoolean();
  private final ExecutorService checkpointer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "identity-checkpoint");
    t.setDaemon(true);
    return t;
  });
  private volatile Loaded loaded;
  private volatile EvidenceLog evidenceLog;

  public IdentityGraphService(
      GraphStore store, IdentifierTypes types, PiiCipher cipher, TransactionTemplate tx,
      ApplicationEventPublisher events, Clock clock, int hardCap, Path logDir, long checkpointMessages) {
    this.store = store;
    this.types = types;
    this.cipher = cipher;
    this.tx = new TransactionTemplate(tx.getTransactionManager(), tx);
    this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.events = events;
    this.clock = clock;
    this.hardCap = hardCap;
    this.logDir = logDir;
    this.checkpointMessages = Math.max(1, checkpointMessages);
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

  /** The evidence log of this store (opened on first use). */
  EvidenceLog evidenceLog() {
    EvidenceLog open = evidenceLog;
    return open != null ? open : openEvidenceLog();
  }

  /** (Re)opens the log the store names: each store has a log of its own, even in a shared data dir. */
  private EvidenceLog openEvidenceLog() {
    String name = tx.execute(s -> store.evidenceLogName()); // no monitor held while waiting for a connection
    Path path = logDir.resolve(name + ".log");
    synchronized (this) {
      if (evidenceLog == null || !evidenceLog.path().equals(path)) {
        if (evidenceLog != null) {
          evidenceLog.close();
        }
        evidenceLog = EvidenceLog.open(path);
      }
      return evidenceLog;
    }
  }

  /** How many records of the evidence log carry this idempotency key (a scan: for diagnostics and tests). */
  public long loggedCount(String idemKey) {
    loaded();
    long[] count = {0};
    evidenceLog().scan(0, (offset, e) -> {
      if (e.idemKey().equals(idemKey)) {
        count[0]++;
      }
    });
    return count[0];
  }

  // ---- loading -----------------------------------------------------------------------------------

  /**
   * Loads the graph: the OLTP checkpoint, then the log records it does not cover yet (at start-up,
   * after a failed write, after a rebuild elsewhere). Their effects become pending again.
   */
  public void load() {
    load(false);
  }

  /** Loads the graph, or with {@code onlyIfAbsent} only when no thread has loaded it meanwhile. */
  private void load(boolean onlyIfAbsent) {
    EvidenceLog evidence = openEvidenceLog();
    // the connection first, then the locks: a thread holding a lock never waits for the pool, whose
    // connections may all be held by readers waiting for the lock
    tx.executeWithoutResult(s -> {
      checkpointLock.lock();
      lock.writeLock().lock();
      try {
        if (!onlyIfAbsent || loaded == null) {
          loaded = readStore(evidence);
        }
      } finally {
        lock.writeLock().unlock();
        checkpointLock.unlock();
      }
    });
  }

  /** Whether the store's graph generation moved on (a rebuild by another process); reloads if so. Checkpoints. */
  public void refreshIfRebuilt() {
    Loaded current = loaded;
    if (current != null && store.state().generation() != current.generation) {
      load();
    } else if (current != null && !current.pending.isEmpty()) {
      checkpoint();
    }
  }

  private Loaded readStore(EvidenceLog evidence) {
    GraphStore.State state = store.state();
    int nodes = store.jdbc().sql("SELECT COUNT(*) FROM identity_identifier").query(Integer.class).single();
    importLegacyEvidence(evidence);
    long logBytes = evidence.size();
    IdentityGraph graph = new IdentityGraph(hardCap, nodes + 16);
    Loaded l = new Loaded(graph, nodes + 16, (int) Math.min(Integer.MAX_VALUE / 4, logBytes / 64 + 16));
    syncRules(l);
    store.eachNode(
        n -> {
          int type = typeIndex(l, n.type());
          graph.restore(n.id(), n.key(), type, graph.scope(n.scope()), n.person(), n.attachedAt().getEpochSecond());
          if (n.valueEnc() != null) {
            l.seal(n.id(), n.valueEnc());
          }
        });
    l.checkpointedNodes = graph.nodeCount();
    graph.reservePersonsBelow(state.nextPerson());
    store.eachApartPair(pair -> graph.keepApart(pair[0], pair[1]));
    for (int[] pair : store.openConflictPairs()) {
      graph.knownConflict(pair[0], pair[1]);
    }
    l.generation = state.generation();
    l.nextSeq = state.nextSeq();
    l.nextMerge = state.nextMerge();
    l.nextConflict = state.nextConflict();
    List<EvidenceLog.Entry> tail = new ArrayList<>();
    evidence.scan(0, (offset, e) -> {
      l.seen.putIfAbsent(LongHashSet.fingerprint(e.idemKey()), offset);
      if (e.seq() >= state.nextSeq()) {
        tail.add(e);
      }
    });
    if (!tail.isEmpty()) {
      log.info("Identity: applying {} evidence records the checkpoint does not cover yet", tail.size());
      IdentifierRules rules = types.rules();
      Batch b = new Batch(l, true);
      for (EvidenceLog.Entry e : tail) {
        l.nextSeq = e.seq();
        b.applyDetailed(fromLog(rules, e));
      }
    }
    return l;
  }

  /** Stores from before the evidence log kept every piece of evidence in identity_evidence: moves them. */
  private void importLegacyEvidence(EvidenceLog evidence) {
    if (evidence.size() > 0 || store.evidenceCount() == 0) {
      return;
    }
    Map<String, String> sealed = new HashMap<>();
    store.jdbc().sql("SELECT id_key, value_enc FROM identity_identifier WHERE value_enc IS NOT NULL")
        .query(rs -> {
          sealed.put(rs.getString(1), rs.getString(2));
        });
    List<EvidenceLog.Entry> entries = new ArrayList<>();
    store.eachEvidence(row -> {
      entries.add(entry(row, sealed));
      if (entries.size() == 10_000) {
        evidence.append(entries);
        entries.clear();
      }
    });
    evidence.append(entries);
    int removed = store.deleteUnchangedEvidence();
    log.info("Identity: moved the evidence log to {} ({} rows that changed nothing left the OLTP table)",
        evidence.path(), removed);
  }

  private static EvidenceLog.Entry entry(GraphStore.EvidenceRow row, Map<String, String> sealedByKey) {
    String[] keys = row.identifiers().isEmpty() ? new String[0]
        : row.identifiers().split(String.valueOf(GraphStore.KEY_SEPARATOR), -1);
    String[] sealed = new String[keys.length];
    boolean any = false;
    for (int i = 0; i < keys.length; i++) {
      sealed[i] = sealedByKey.get(keys[i]);
      any |= sealed[i] != null;
    }
    return new EvidenceLog.Entry(row.seq(), LinkKind.fromWire(row.kind()), row.occurredAt(), row.idemKey(), row.source(),
        keys, any ? sealed : null, row.person() == null ? 0 : row.person(), row.outcome(), row.reason(), row.actor());
  }

  /** A logged record as input again (a redo after a crash): the keys are checked against today's rules. */
  private static Input fromLog(IdentifierRules rules, EvidenceLog.Entry e) {
    List<PreparedIdentifier> ids = new ArrayList<>(e.keys().length);
    List<String> keys = new ArrayList<>(e.keys().length);
    List<String> sealed = new ArrayList<>(e.keys().length);
    for (int i = 0; i < e.keys().length; i++) {
      String key = e.keys()[i];
      IdentifierType type = rules.recheck(key);
      if (type == null) {
        continue;
      }
      String[] parts = PreparedIdentifier.parts(key);
      String seal = e.sealed() == null ? null : e.sealed()[i];
      ids.add(new PreparedIdentifier(type, parts[1], seal != null ? null : parts[2], key));
      keys.add(key);
      sealed.add(seal);
    }
    String rejection = e.outcome().equals("rejected") && keys.isEmpty()
        ? (e.reason() == null ? "no_usable_identifier" : e.reason().split(",")[0]) : null;
    return new Input(e.kind(), e.source(), e.occurredAt(), e.idemKey(), ids, keys, e.person(), e.actor(), List.of(),
        rejection, sealed.toArray(String[]::new));
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

  /**
   * The graph, loaded at first use — once: threads that arrive together (listeners at start-up) wait
   * for that load under the write lock instead of each loading it again.
   */
  Loaded loaded() {
    Loaded l = loaded;
    if (l == null) {
      load(true);
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

  ReentrantLock checkpointLock() {
    return checkpointLock;
  }

  // ---- checkpoints ---------------------------------------------------------------------------------

  /** What one checkpoint writes, taken from memory under the writer lock. */
  private record Snapshot(long generation, GraphStore.State state, GraphStore.Writes writes, List<Object> published) {}

  /**
   * Writes everything pending to the OLTP tables in one transaction (publishing the pending events in
   * it). Call before reading identity's tables with SQL. Returns how many messages it covered.
   */
  public long checkpoint() {
    return inCheckpoint(null).messages;
  }

  private record Checkpointed<T>(T result, long messages) {}

  /**
   * Runs {@code underLock} (may be null) under the writer lock inside a checkpoint's transaction, then
   * writes everything pending (its changes included) and commits. Reloads the graph when it fails.
   */
  private <T> Checkpointed<T> inCheckpoint(java.util.function.Function<Loaded, T> underLock) {
    loaded();
    // The lock is taken once the transaction holds its connection, and released after the commit: a
    // checkpoint that started while the previous one was still committing waited on identity_state's
    // row lock and failed after H2's lock timeout (2 s) on a loaded machine.
    boolean[] locked = {false};
    try {
      return tx.execute(s -> {
        checkpointLock.lock();
        locked[0] = true;
        T result = null;
        Snapshot snap;
        long messages;
        lock.writeLock().lock();
        try {
          Loaded l = loaded;
          if (underLock != null) {
            result = underLock.apply(l);
          }
          messages = l.pending.messages;
          snap = l.pending.isEmpty() ? null : snapshot(l);
        } finally {
          lock.writeLock().unlock();
        }
        if (snap != null) {
          if (!store.advance(snap.generation(), snap.state())) {
            throw new StaleGraph();
          }
          store.write(snap.writes());
          snap.published().forEach(events::publishEvent);
        }
        return new Checkpointed<>(result, messages);
      });
    } catch (StaleGraph stale) {
      load(); // the log holds everything: the rebuilt checkpoint plus the log's tail
      return new Checkpointed<>(null, 0);
    } catch (RuntimeException | Error e) {
      load();
      throw e;
    } finally {
      if (locked[0]) {
        checkpointLock.unlock();
      }
    }
  }

  /** Moves what is pending into a snapshot (under the writer lock) and starts a new pending set. */
  private Snapshot snapshot(Loaded l) {
    Pending p = l.pending;
    IdentityGraph graph = l.graph;
    GraphStore.Writes w = p.writes;
    for (int[] pair : p.apartTouched.values()) {
      w.apartRemoved.add(pair); // rows are rewritten from the pair's final state
      if (graph.keptApart(pair[0], pair[1])) {
        w.apartAdded.add(pair);
      }
    }
    for (int n = p.dirty.nextSetBit(0); n >= 0; n = p.dirty.nextSetBit(n + 1)) {
      Instant attached = Instant.ofEpochSecond(graph.attachedAt(n));
      if (n >= l.checkpointedNodes) {
        String key = graph.keyOf(n);
        String[] parts = PreparedIdentifier.parts(key);
        String sealed = l.sealedOf(n);
        w.newNodes.add(new GraphStore.NodeRow(n, key, parts[0], parts[1], sealed == null ? parts[2] : null, sealed,
            graph.personOf(n), attached, p.firstSeqOf(n - l.checkpointedNodes)));
      } else {
        w.movedNodes.add(new GraphStore.NodeRow(n, null, null, null, null, null, graph.personOf(n), attached));
      }
    }
    w.newNodes.sort(java.util.Comparator.comparingInt(GraphStore.NodeRow::id));
    if (!w.newNodes.isEmpty() && w.newNodes.get(w.newNodes.size() - 1).id() != graph.nodeCount() - 1) {
      throw new IllegalStateException("identity map rows would leave a gap: " + w.newNodes.size() + " new rows up to node "
          + w.newNodes.get(w.newNodes.size() - 1).id() + ", " + graph.nodeCount() + " nodes");
    }
    l.checkpointedNodes = graph.nodeCount();
    GraphStore.State state = new GraphStore.State(l.generation, graph.nextPerson(), l.nextSeq, l.nextMerge, l.nextConflict);
    l.pending = new Pending();
    return new Snapshot(l.generation, state, w, p.published);
  }

  private void checkpointLater() {
    if (checkpointQueued.compareAndSet(false, true)) {
      checkpointer.execute(() -> {
        checkpointQueued.set(false);
        try {
          checkpoint();
        } catch (RuntimeException e) {
          log.warn("Identity checkpoint failed (the evidence log holds everything; reloaded): {}", e.toString());
        }
      });
    }
  }

  /** Writes what is pending and closes the log (on shutdown). */
  @Override
  public void close() {
    checkpointer.shutdown();
    try {
      checkpointer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      if (loaded != null && !loaded.pending.isEmpty()) {
        checkpoint();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Identity: final checkpoint failed; the evidence log's tail is applied at the next start: {}", e.toString());
    } finally {
      synchronized (this) {
        if (evidenceLog != null) {
          evidenceLog.close();
        }
      }
    }
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
    loaded();
    IdentifierRules rules = types.rules();
    List<Input> inputs = new ArrayList<>(batch.size());
    for (Evidence e : batch) {
      inputs.add(prepare(rules, e)); // PERF: normalising, hashing and sealing need no lock
    }
    List<Resolution> out = new ArrayList<>(batch.size());
    boolean publishes;
    long pendingMessages;
    lock.writeLock().lock();
    try {
      Loaded l = loaded;
      syncRules(l);
      Batch b = new Batch(l, false);
      for (Input in : inputs) {
        out.add(b.apply(in));
      }
      b.log();
      publishes = !l.pending.published.isEmpty();
      pendingMessages = l.pending.messages;
    } catch (RuntimeException | Error e) {
      lock.writeLock().unlock();
      load(); // memory may hold part of the batch; the log and the checkpoint are the truth
      throw e;
    }
    lock.writeLock().unlock();
    if (publishes) {
      checkpoint(); // merges, conflicts: their events leave before the caller is answered, as before
    } else if (pendingMessages >= checkpointMessages) {
      checkpointLater();
    }
    return out;
  }

  /** Applies evidence given as prepared keys (manual merges and splits) and checkpoints at once. */
  Batch.Applied applyInternal(Input input, java.util.function.BiConsumer<Batch, Batch.Applied> more) {
    return inCheckpoint(l -> {
      syncRules(l);
      Batch b = new Batch(l, false);
      Batch.Applied applied = b.applyDetailed(input);
      b.log();
      more.accept(b, applied);
      return applied;
    }).result();
  }

  private Input prepare(IdentifierRules rules, Evidence e) {
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
    String[] sealed = null;
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).pii()) {
        if (sealed == null) {
          sealed = new String[ids.size()];
        }
        sealed[i] = cipher.encrypt(ids.get(i).value());
      }
    }
    return new Input(e.kind(), e.source(), e.occurredAt(), e.idempotencyKey(), ids, List.copyOf(accepted.keySet()), 0,
        null, refused, rejection, sealed);
  }

  /** A phone or e-mail masked as callers without the right to see personal data are shown it. */
  static Identifier masked(Identifier id) {
    boolean pii = Identifier.PHONE.equals(id.type()) || Identifier.EMAIL.equals(id.type());
    return pii ? new Identifier(id.type(), id.scope(), PiiCipher.mask(id.value())) : id;
  }

  /**
   * One call's worth of resolutions: applies them to the graph, collects their log records, and adds
   * what the OLTP checkpoint must write to the pending set.
   */
  final class Batch implements IdentityGraph.Changes {
    final Loaded l;
    final IdentityGraph graph;
    final Pending p;
    final GraphStore.Writes writes;
    final boolean redo;
    final Map<String, EvidenceLog.Entry> batchKeys = new HashMap<>();
    final List<EvidenceLog.Entry> entries = new ArrayList<>();
    final List<Object> published;
    final Instant now = clock.instant();
    long seq;
    Input current;
    List<PersonId> mergedNow;

    record Applied(Resolution resolution, long seq, List<Long> mergeIds) {}

    List<Long> mergeIdsNow;

    /** @param redo applying records that are in the log already (after a crash): no idempotency check, no append */
    Batch(Loaded l, boolean redo) {
      this.l = l;
      this.graph = l.graph;
      this.p = l.pending;
      this.writes = p.writes;
      this.published = p.published;
      this.redo = redo;
    }

    Resolution apply(Input in) {
      return applyDetailed(in).resolution();
    }

    Applied applyDetailed(Input in) {
      if (!redo && (batchKeys.containsKey(in.idemKey()) || logged(in.idemKey()) != null)) {
        return new Applied(replay(in), -1, List.of());
      }
      seq = l.nextSeq++;
      current = in;
      mergedNow = new ArrayList<>(0);
      mergeIdsNow = new ArrayList<>(0);

      IdentityGraph.Result result;
      int[] nodes;
      int created = graph.nodeCount(); // identifiers from this node on are new with this evidence
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
        if (redo && in.kind() == LinkKind.SPLIT && result.kind() == IdentityGraph.Kind.DETACHED) {
          markSplitMerge(in.restorePerson(), in.occurredAt(), in.actor());
        }
      } else {
        nodes = new int[in.identifiers().size()];
        for (int i = 0; i < nodes.length; i++) {
          PreparedIdentifier id = in.identifiers().get(i);
          int before = graph.nodeCount();
          int node = graph.node(id.key(), typeIndex(l, id.type().name()), graph.scope(id.scope()));
          if (node >= before && in.sealed() != null && in.sealed()[i] != null) {
            l.seal(node, in.sealed()[i]);
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
      int person = in.kind() == LinkKind.SPLIT ? in.restorePerson()
          : result.person() == IdentityGraph.NO_PERSON ? 0 : result.person();
      String[] keys = in.keys().toArray(String[]::new);
      EvidenceLog.Entry entry = new EvidenceLog.Entry(seq, in.kind(), in.occurredAt(), in.idemKey(),
          truncate(in.source(), 100), keys, in.sealed(), person, result.kind().name().toLowerCase(java.util.Locale.ROOT),
          reason, in.actor());
      p.messages++;
      if (!redo) {
        entries.add(entry);
        batchKeys.put(in.idemKey(), entry);
      }
      if (result.kind() != IdentityGraph.Kind.UNCHANGED && result.kind() != IdentityGraph.Kind.REJECTED) {
        // only evidence that changed the graph reaches the OLTP tables (the graph view draws it). PERF: an
        // identifier it created records it on its own identity-map row (first_seq); only identifiers that
        // existed before get an edge row
        writes.evidence.add(entry.row());
        for (int n : nodes) {
          if (n >= created) {
            p.firstSeq(n - l.checkpointedNodes, seq);
          } else {
            writes.evidenceNodes.add(new long[] {n, seq});
          }
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

    /** The first logged record of an idempotency key, or null: a fingerprint hit confirmed against the log. */
    private EvidenceLog.Entry logged(String idemKey) {
      long offset = l.seen.get(LongHashSet.fingerprint(idemKey));
      if (offset < 0) {
        return null;
      }
      EvidenceLog.Entry e = evidenceLog().read(offset);
      if (e.idemKey().equals(idemKey)) {
        return e;
      }
      EvidenceLog.Entry[] found = {null}; // two keys with one 64-bit fingerprint: look the key up the slow way
      evidenceLog().scan(0, (o, x) -> {
        if (found[0] == null && x.idemKey().equals(idemKey)) {
          found[0] = x;
        }
      });
      return found[0];
    }

    /** Appends this batch's records to the log and forces them to disk; then they count as seen. */
    void log() {
      if (entries.isEmpty()) {
        return;
      }
      long[] offsets = evidenceLog().append(entries);
      for (int i = 0; i < offsets.length; i++) {
        l.seen.putIfAbsent(LongHashSet.fingerprint(entries.get(i).idemKey()), offsets[i]);
      }
      entries.clear();
    }

    /** A split undoes the latest merge of the restored person (as the split API recorded it). */
    void markSplitMerge(int restored, Instant at, String actor) {
      for (int i = writes.merges.size() - 1; i >= 0; i--) {
        if (writes.merges.get(i).merged() == restored) {
          splitMark(writes.merges.get(i).id(), at, actor == null ? "redo" : actor);
          return;
        }
      }
      store.jdbc().sql("SELECT id FROM identity_merge WHERE merged_id = ? AND split_at IS NULL ORDER BY id DESC")
          .param(restored).query(Long.class).list().stream().findFirst()
          .ifPresent(id -> splitMark(id, at, actor == null ? "redo" : actor));
    }

    void splitMark(long mergeId, Instant at, String actor) {
      writes.splitMerges.add(new GraphStore.SplitMark(mergeId, at, actor));
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
      EvidenceLog.Entry first = batchKeys.get(in.idemKey());
      if (first == null) {
        first = logged(in.idemKey());
      }
      String key = first == null || first.keys().length == 0 ? "" : first.keys()[0];
      int node = key.isEmpty() ? -1 : graph.find(key);
      int person = node < 0 ? IdentityGraph.NO_PERSON : graph.personOf(node);
      return new Resolution(person == IdentityGraph.NO_PERSON ? Optional.empty() : Optional.of(PersonId.of(person)),
          new Outcome.Unchanged(true), List.of());
    }

    @Override
    public void nodeChanged(int node) {
      p.dirty.set(node);
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
      p.apartTouched.put(((long) personA << 32) | personB, new int[] {personA, personB});
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
  public Set<String> identifierTypesOf(PersonId person) {
    return read(l -> {
      Set<String> types = new TreeSet<>();
      for (int n : l.graph.members(person.value())) {
        types.add(PreparedIdentifier.parts(l.graph.keyOf(n))[0]);
      }
      return types;
    });
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
