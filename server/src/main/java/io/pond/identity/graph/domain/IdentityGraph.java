package io.pond.identity.graph.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity graph in memory: which person each identifier (a node) belongs to, and the rules that
 * decide when evidence may link, attach or merge. Deterministic: the same rules and the same evidence
 * in the same order give the same persons with the same ids, which is what makes a full rebuild equal
 * to incremental resolution.
 *
 * <p>Nodes are dense ints from 0, persons dense ints from 1 (31 bits, for bitmaps). Each person keeps
 * its member list, so lookups in both directions are array reads. // PERF: no union-find parent chains:
 * a merge moves the members of the younger person (bounded by the hard cap), so "person of a node" is
 * one array read even under concurrent readers.
 *
 * <p>Not thread-safe; the caller serialises writers and guards readers.
 */
public final class IdentityGraph {

  public static final int NO_PERSON = 0;

  /** The note of evidence that would have joined persons an operator split apart. */
  public static final String KEPT_APART = "kept_apart";

  /**
   * The rules of one identifier type as the graph needs them.
   *
   * @param windowSeconds limits count identifiers attached in this window; 0 = ever
   */
  public record TypeRule(String name, boolean strong, int priority, int maxPerPerson, long windowSeconds) {}

  /** What one piece of evidence did. */
  public enum Kind {
    CREATED,
    ATTACHED,
    MERGED,
    UNCHANGED,
    CONFLICT,
    DETACHED,
    REJECTED
  }

  /**
   * @param person the person the evidence resolved to (its highest-priority identifier's), 0 if none
   * @param notes why some identifiers were not used as links, e.g. {@code limit:device_id}
   * @param conflictReason for {@link Kind#CONFLICT}: which rule kept two persons apart
   */
  public record Result(int person, Kind kind, List<String> notes, String conflictReason) {}

  /** Receives every change, so that a store can persist them; rebuilds pass {@link #IGNORE}. */
  public interface Changes {
    /** The node's person or attach time changed (new, attached, moved by a merge, unbind or split). */
    void nodeChanged(int node);

    void personsMerged(int survivor, int merged, int[] movedNodes);

    void conflictFound(int personA, int personB, String type, String scope, String reason);

    /**
     * Two persons started or stopped being kept apart (a split keeps them apart, an operator's merge
     * ends it, a merge hands the merged person's pairs to the survivor).
     */
    default void apartChanged(int personA, int personB, boolean apart) {}
  }

  public static final Changes IGNORE =
      new Changes() {
        @Override
        public void nodeChanged(int node) {}

        @Override
        public void personsMerged(int survivor, int merged, int[] movedNodes) {}

        @Override
        public void conflictFound(int personA, int personB, String type, String scope, String reason) {}
      };

  private final List<TypeRule> rules = new ArrayList<>();
  private int[] priorityOf = new int[8]; // by type index: byPriority runs for every piece of evidence
  private final Map<String, Integer> typeIndex = new HashMap<>();
  private final List<String> scopes = new ArrayList<>();
  private final Map<String, Integer> scopeIndex = new HashMap<>();
  // PERF: the key index is open addressing over one long[]: per slot the key's hash (high 32 bits) and
  // node + 1 (low 32 bits, 0 = empty); a key string is compared only when its hash matches. About 16
  // bytes a key instead of ~50 for a HashMap<String, Integer> entry, and a probe is one array read.
  private long[] nodeIndex;
  private int indexed;
  private final int hardCap;

  private int nodeCount;
  private String[] keyOf;
  private int[] personOf;
  private short[] typeOf;
  private int[] scopeOf;
  private long[] attachedAt;

  private int nextPerson = 1;
  // PERF: a person's members are a circular list threaded through next[] (head[person] is one of them),
  // so persons cost no objects: millions of tiny member arrays kept the garbage collector busy.
  private int[] next;
  private int[] head;
  private int[] size;
  private int personCount;
  private final LongHashSet conflictPairs = new LongHashSet(1024);
  // Persons an operator split apart: automatic evidence never joins them again (rare, so boxed sets).
  private final Set<Long> apartPairs = new HashSet<>();
  private final Map<Integer, Set<Integer>> apartOf = new HashMap<>();

  /** @param hardCap the most identifiers one person may hold, whatever the evidence */
  public IdentityGraph(int hardCap, int expectedNodes) {
    if (hardCap < 2) {
      throw new IllegalArgumentException("hard cap must be at least 2");
    }
    this.hardCap = hardCap;
    int capacity = Math.max(16, expectedNodes);
    keyOf = new String[capacity];
    personOf = new int[capacity];
    typeOf = new short[capacity];
    scopeOf = new int[capacity];
    attachedAt = new long[capacity];
    next = new int[capacity];
    // PERF: persons never outnumber identifiers; sized once, so a rebuild never copies them while it runs
    head = new int[capacity + 1];
    size = new int[capacity + 1];
    nodeIndex = new long[Integer.highestOneBit(Math.max(16, expectedNodes) - 1) << 1];
    scope("");
  }

  // ---- rules and nodes -----------------------------------------------------------------------

  /** Registers or replaces the rules of a type; returns its index. */
  public int rule(TypeRule rule) {
    Integer existing = typeIndex.get(rule.name());
    if (existing != null) {
      rules.set(existing, rule);
      priorityOf[existing] = rule.priority();
      return existing;
    }
    if (rules.size() == Short.MAX_VALUE) {
      throw new IllegalStateException("too many identifier types");
    }
    rules.add(rule);
    if (priorityOf.length < rules.size()) {
      priorityOf = Arrays.copyOf(priorityOf, rules.size() * 2);
    }
    priorityOf[rules.size() - 1] = rule.priority();
    typeIndex.put(rule.name(), rules.size() - 1);
    return rules.size() - 1;
  }

  public int typeIndex(String type) {
    Integer i = typeIndex.get(type);
    if (i == null) {
      throw new IllegalArgumentException("unknown identifier type " + type);
    }
    return i;
  }

  public TypeRule typeRule(int index) {
    return rules.get(index);
  }

  public int scope(String scope) {
    Integer i = scopeIndex.get(scope);
    if (i == null) {
      scopes.add(scope);
      i = scopes.size() - 1;
      scopeIndex.put(scope, i);
    }
    return i;
  }

  /** The node of a key, or -1 when the graph has never seen it. */
  public int find(String key) {
    int h = hash(key);
    int mask = nodeIndex.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      long slot = nodeIndex[i];
      if (slot == 0) {
        return -1;
      }
      if ((int) (slot >>> 32) == h) {
        int node = (int) slot - 1;
        if (keyOf[node].equals(key)) {
          return node;
        }
      }
    }
  }

  /** The node of a key, added (without a person) when new. */
  public int node(String key, int type, int scope) {
    int n = find(key);
    if (n >= 0) {
      return n;
    }
    int node = addNode(type, scope);
    keyOf[node] = key;
    if (++indexed * 2 > nodeIndex.length) { // at most half full
      long[] old = nodeIndex;
      nodeIndex = new long[old.length * 2];
      for (long slot : old) {
        if (slot != 0) {
          index(slot);
        }
      }
    }
    index(((long) hash(key) << 32) | (node + 1L));
    return node;
  }

  private void index(long slot) {
    int mask = nodeIndex.length - 1;
    int i = (int) (slot >>> 32) & mask;
    while (nodeIndex[i] != 0) {
      i = (i + 1) & mask;
    }
    nodeIndex[i] = slot;
  }

  private static int hash(String key) {
    int h = key.hashCode() * 0x9E3779B9; // spread: slots are picked by the low bits
    return h ^ (h >>> 16);
  }

  /** A node without a key, for benchmarks that feed integer edges. */
  public int addNode(int type, int scope) {
    if (nodeCount == keyOf.length) {
      int capacity = keyOf.length * 2;
      keyOf = Arrays.copyOf(keyOf, capacity);
      personOf = Arrays.copyOf(personOf, capacity);
      typeOf = Arrays.copyOf(typeOf, capacity);
      scopeOf = Arrays.copyOf(scopeOf, capacity);
      attachedAt = Arrays.copyOf(attachedAt, capacity);
      next = Arrays.copyOf(next, capacity);
    }
    int node = nodeCount++;
    typeOf[node] = (short) type;
    scopeOf[node] = scope;
    return node;
  }

  /** Puts a stored node back as it was (loading from the store at start-up). Nodes come in id order. */
  public void restore(int node, String key, int type, int scope, int person, long attachedAtSecond) {
    if (node != nodeCount) {
      throw new IllegalStateException("nodes must be restored in order: expected " + nodeCount + ", got " + node);
    }
    node(key, type, scope);
    attachedAt[node] = attachedAtSecond;
    join(node, person);
    nextPerson = Math.max(nextPerson, person + 1);
  }

  /** Makes sure new persons get ids above every id ever handed out (merged-away ids are not reused). */
  public void reservePersonsBelow(int next) {
    nextPerson = Math.max(nextPerson, next);
  }

  /** Remembers a conflict that is already recorded, so that it is not recorded again. */
  public void knownConflict(int personA, int personB) {
    conflictPairs.add(pair(personA, personB));
  }

  /** Puts a stored keep-apart pair back (loading from the store). */
  public void keepApart(int personA, int personB) {
    keepApart(personA, personB, IGNORE);
  }

  /** Whether automatic evidence is forbidden to join these two persons (an operator split them). */
  public boolean keptApart(int personA, int personB) {
    return !apartPairs.isEmpty() && apartPairs.contains(pair(personA, personB));
  }

  /** Every keep-apart pair as {@code {lower, higher}} person ids, sorted. */
  public List<int[]> apartPairs() {
    List<int[]> out = new ArrayList<>(apartPairs.size());
    apartPairs.stream().sorted().forEach(p -> out.add(new int[] {(int) (p >>> 32), (int) (long) p}));
    return out;
  }

  /** The persons kept apart from this one, sorted. */
  public int[] apartFrom(int person) {
    Set<Integer> others = apartOf.get(person);
    return others == null ? new int[0] : others.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  public int nodeCount() {
    return nodeCount;
  }

  public int personCount() {
    return personCount;
  }

  public int nextPerson() {
    return nextPerson;
  }

  public int personOf(int node) {
    return personOf[node];
  }

  public String keyOf(int node) {
    return keyOf[node];
  }

  public int typeOf(int node) {
    return typeOf[node];
  }

  public String scopeOf(int node) {
    return scopes.get(scopeOf[node]);
  }

  public long attachedAt(int node) {
    return attachedAt[node];
  }

  /** The nodes of a person, in no particular order; empty when the person does not exist (any more). */
  public int[] members(int person) {
    if (person <= 0 || person >= nextPerson || person >= size.length || size[person] == 0) {
      return new int[0];
    }
    int[] out = new int[size[person]];
    fill(person, out);
    return out;
  }

  /** Writes the members of a person into {@code out} (large enough); returns how many. */
  private int fill(int person, int[] out) {
    int n = head[person];
    int count = size[person];
    for (int i = 0; i < count; i++) {
      out[i] = n;
      n = next[n];
    }
    return count;
  }

  private int[] groupBuffer = new int[8];
  private int[] otherBuffer = new int[8];

  /** The members of a person in a reused buffer (the graph is single-writer). */
  private int[] membersOf(int person, boolean other) {
    int[] buffer = other ? otherBuffer : groupBuffer;
    if (buffer.length < size[person]) {
      buffer = new int[Math.max(size[person], buffer.length * 2)];
      if (other) {
        otherBuffer = buffer;
      } else {
        groupBuffer = buffer;
      }
    }
    fill(person, buffer);
    return buffer;
  }

  public int size(int person) {
    return person > 0 && person < size.length ? size[person] : 0;
  }

  // ---- evidence ------------------------------------------------------------------------------

  /**
   * Identifiers seen together (one message, an alias, a signup, a bind): links them under the guards.
   * The highest-priority identifier anchors; each other one is attached to its person, or merges its
   * own person in, unless a guard says no — then it stays where it is (or gets a person of its own)
   * and the reason is noted. Persons that hold different strong identifiers of one type and scope are
   * never merged: a conflict is reported instead.
   */
  public Result link(int[] nodes, long atSecond, Changes changes) {
    // PERF: scratch buffers are reused (the graph is single-writer); a rebuild links millions of edges.
    int count = byPriority(nodes);
    if (count == 0) {
      return new Result(NO_PERSON, Kind.REJECTED, List.of(), null);
    }
    int[] order = orderBuffer;
    List<String> notes = null;
    int[] pending = pendingBuffer;
    int pendingSize = 0;
    int[] demoted = demotedBuffer;
    int demotedSize = 0;
    int group = NO_PERSON;
    boolean created = false;
    boolean attached = false;
    boolean merged = false;
    String conflict = null;

    // PERF: a person's member list is read (a pointer chase through next[]) only when a guard has to
    // count: the first known identifier adopts its person without a look, and a group smaller than a
    // type's limit cannot reach it. Filling member lists was half of a rebuild's time.
    for (int o = 0; o < count; o++) {
      int n = order[o];
      int p = personOf[n];
      if (p == NO_PERSON) {
        attachedAt[n] = atSecond;
        String refusal = canJoin(group, group == NO_PERSON ? pendingSize : size[group], n, atSecond);
        if (refusal != null) {
          demoted[demotedSize++] = n;
          notes = note(notes, refusal);
        } else if (group == NO_PERSON) {
          pending[pendingSize++] = n;
        } else {
          join(n, group);
          changes.nodeChanged(n);
          attached = true;
        }
      } else if (p != group) {
        if (group != NO_PERSON && keptApart(group, p)) {
          notes = note(notes, KEPT_APART); // an operator split them: only an operator joins them again
          continue;
        }
        Guard guard;
        int groupSize = group == NO_PERSON ? pendingSize : size[group];
        if (groupSize + size[p] > hardCap) {
          guard = HARD_CAP;
        } else if (groupSize == 0) {
          guard = null; // nothing to compare with
        } else {
          MemberKeys groupKeys = group == NO_PERSON ? pendingKeys.of(pending, pendingSize) : keysOf(group, groupScratch);
          guard = mergeGuard(groupKeys, keysOf(p, otherScratch), atSecond);
        }
        if (guard == null) {
          if (group == NO_PERSON) {
            group = p;
            attached |= pendingSize > 0;
            for (int i = 0; i < pendingSize; i++) {
              join(pending[i], p);
              changes.nodeChanged(pending[i]);
            }
            pendingSize = 0;
          } else {
            group = merge(group, p, changes);
            merged = true;
          }
        } else if (guard.sticky()) {
          if (group == NO_PERSON) {
            group = createPerson(pending, pendingSize, changes);
            pendingSize = 0;
            created = true;
          }
          if (conflictPairs.add(pair(group, p))) {
            changes.conflictFound(group, p, guard.type(), guard.scope(), guard.reason());
          }
          conflict = guard.reason();
        } else {
          notes = note(notes, guard.reason());
        }
      }
    }
    if (group == NO_PERSON && pendingSize > 0) {
      group = createPerson(pending, pendingSize, changes);
      created = true;
    }
    for (int i = 0; i < demotedSize; i++) {
      createPerson(new int[] {demoted[i]}, 1, changes);
    }
    int anchor = order[0];
    Kind kind =
        conflict != null
            ? Kind.CONFLICT
            : merged ? Kind.MERGED : created ? Kind.CREATED : attached ? Kind.ATTACHED : Kind.UNCHANGED;
    if (kind == Kind.UNCHANGED && demotedSize > 0) {
      kind = Kind.CREATED; // the demoted identifiers got persons of their own
    }
    return new Result(personOf[anchor], kind, notes == null ? List.of() : notes, conflict);
  }

  private static List<String> note(List<String> notes, String note) {
    List<String> out = notes == null ? new ArrayList<>(2) : notes;
    out.add(note);
    return out;
  }

  /**
   * An operator's merge: the persons of the given nodes become one, whatever the sticky and limit
   * rules say (the operator reviewed them), even persons kept apart by an earlier split (the merge
   * ends that); only the hard cap still applies.
   */
  public Result forceMerge(int[] nodes, Changes changes) {
    int group = NO_PERSON;
    List<String> notes = new ArrayList<>(0);
    boolean merged = false;
    for (int n : nodes) {
      int p = personOf[n];
      if (p == NO_PERSON || p == group) {
        continue;
      }
      if (group == NO_PERSON) {
        group = p;
      } else if (size[group] + size[p] > hardCap) {
        notes.add("hard_cap");
      } else {
        clearApart(group, p, changes);
        group = merge(group, p, changes);
        merged = true;
      }
    }
    Kind kind = group == NO_PERSON ? Kind.REJECTED : merged ? Kind.MERGED : notes.isEmpty() ? Kind.UNCHANGED : Kind.REJECTED;
    return new Result(group, kind, notes, null);
  }

  /** Sensors {@code track_id_unbind}: each node leaves its person and becomes a person of its own. */
  public Result unbind(int[] nodes, Changes changes) {
    int last = NO_PERSON;
    boolean detached = false;
    for (int n : nodes) {
      int p = personOf[n];
      if (p == NO_PERSON) {
        continue;
      }
      if (size[p] > 1) {
        leave(n, p);
        last = createPerson(new int[] {n}, 1, changes);
        detached = true;
      } else {
        last = p;
      }
    }
    return new Result(last, detached ? Kind.DETACHED : last == NO_PERSON ? Kind.REJECTED : Kind.UNCHANGED, List.of(), null);
  }

  /**
   * Undoes a merge: the given nodes (those of the merged person, as the merge recorded them) leave the
   * person that holds the first of them and form the restored person again — with its old id when
   * that id is free, otherwise a new one. The two persons are then kept apart: evidence that linked
   * them (or will) no longer merges them; an operator's merge may.
   */
  public Result split(int[] nodes, int restoredPerson, Changes changes) {
    int from = NO_PERSON;
    for (int n : nodes) {
      if (personOf[n] != NO_PERSON) {
        from = personOf[n];
        break;
      }
    }
    if (from == NO_PERSON) {
      return new Result(NO_PERSON, Kind.REJECTED, List.of("nothing_to_split"), null);
    }
    int[] moving = new int[nodes.length];
    int count = 0;
    for (int n : nodes) {
      if (personOf[n] == from) {
        moving[count++] = n;
      }
    }
    if (count == size[from]) {
      return new Result(from, Kind.UNCHANGED, List.of("nothing_to_split"), null);
    }
    int target = restoredPerson > 0 && restoredPerson < nextPerson && size(restoredPerson) == 0 ? restoredPerson : nextPerson++;
    ensurePerson(target);
    for (int i = 0; i < count; i++) {
      leave(moving[i], from);
      join(moving[i], target);
      changes.nodeChanged(moving[i]);
    }
    keepApart(from, target, changes);
    return new Result(target, Kind.DETACHED, List.of(), null);
  }

  // ---- guards ----------------------------------------------------------------------------------

  private record Guard(String reason, boolean sticky, String type, String scope) {}

  private static final Guard HARD_CAP = new Guard("hard_cap", false, null, null);

  /**
   * Why {@code node} may not join a group ({@link #pendingBuffer} when {@code person} is 0): its
   * type's limit, or the hard cap. Null when it may.
   */
  private String canJoin(int person, int groupSize, int node, long at) {
    if (groupSize >= hardCap) {
      return "hard_cap";
    }
    TypeRule rule = rules.get(typeOf[node]);
    if (groupSize < rule.maxPerPerson()) {
      return null; // fewer members than the limit: none to count
    }
    MemberKeys group = person == NO_PERSON ? pendingKeys.of(pendingBuffer, groupSize) : keysOf(person, groupScratch);
    int k = group.find(typeOf[node], scopeOf[node]);
    int sameType = k < 0 ? 0 : group.inWindow(k, rule, at);
    return sameType >= rule.maxPerPerson() ? "limit:" + rule.name() : null;
  }

  /**
   * Why two groups may not merge: identified is sticky, type limits (the caller checks the hard cap
   * first). Null when they may. A sticky conflict wins over a limit, and among several the
   * highest-priority type is named, so that what is recorded does not depend on how member lists
   * happen to be ordered.
   */
  private Guard mergeGuard(MemberKeys a, MemberKeys b, long at) {
    TypeRule sticky = null;
    int stickyScope = 0;
    TypeRule limit = null;
    for (int ka = 0; ka < a.keys; ka++) {
      int kb = b.find(a.type[ka], a.scope[ka]);
      if (kb < 0) {
        continue;
      }
      TypeRule rule = rules.get(a.type[ka]);
      if (rule.strong()) {
        if (sticky == null || rule.priority() > sticky.priority()) {
          sticky = rule;
          stickyScope = a.scope[ka];
        }
      } else if (a.inWindow(ka, rule, at) + b.inWindow(kb, rule, at) > rule.maxPerPerson()
          && (limit == null || rule.priority() > limit.priority())) {
        limit = rule;
      }
    }
    if (sticky != null) {
      return new Guard("sticky:" + sticky.name(), true, sticky.name(), scopes.get(stickyScope));
    }
    return limit == null ? null : new Guard("limit:" + limit.name(), false, null, null);
  }

  /**
   * The identifiers of a group by key (type and scope), keys in the order their first identifier
   * comes in the member list, with the attach times of each key's identifiers: all the guards need.
   * // PERF: large persons (shared devices collect up to the hard cap) keep theirs between pieces of
   * evidence, so that each new sighting of a shared device compares a handful of keys instead of
   * chasing its person's member list through memory; any change to the person drops it.
   */
  private final class MemberKeys {
    int keys;
    short[] type = new short[4];
    int[] scope = new int[4];
    int[] count = new int[4];
    int[] start = new int[4];
    long[] times = new long[8];
    private int[] keyOfMember = new int[8];

    MemberKeys of(int[] members, int n) {
      keys = 0;
      if (keyOfMember.length < n) {
        keyOfMember = new int[Math.max(n, keyOfMember.length * 2)];
        times = new long[keyOfMember.length];
      }
      for (int i = 0; i < n; i++) {
        int m = members[i];
        int k = find(typeOf[m], scopeOf[m]);
        if (k < 0) {
          if (keys == type.length) {
            type = Arrays.copyOf(type, keys * 2);
            scope = Arrays.copyOf(scope, keys * 2);
            count = Arrays.copyOf(count, keys * 2);
            start = Arrays.copyOf(start, keys * 2);
          }
          k = keys++;
          type[k] = typeOf[m];
          scope[k] = scopeOf[m];
          count[k] = 0;
        }
        count[k]++;
        keyOfMember[i] = k;
      }
      for (int k = 0, at = 0; k < keys; k++) {
        start[k] = at;
        at += count[k];
        count[k] = 0;
      }
      for (int i = 0; i < n; i++) {
        int k = keyOfMember[i];
        times[start[k] + count[k]++] = attachedAt[members[i]];
      }
      return this;
    }

    /** A copy sized to its content, to keep for a large person. */
    MemberKeys copy() {
      MemberKeys c = new MemberKeys();
      c.keys = keys;
      c.type = Arrays.copyOf(type, keys);
      c.scope = Arrays.copyOf(scope, keys);
      c.count = Arrays.copyOf(count, keys);
      c.start = Arrays.copyOf(start, keys);
      c.times = keys == 0 ? new long[0] : Arrays.copyOf(times, start[keys - 1] + count[keys - 1]);
      return c;
    }

    int find(short t, int s) {
      for (int k = 0; k < keys; k++) {
        if (type[k] == t && scope[k] == s) {
          return k;
        }
      }
      return -1;
    }

    /** How many identifiers of key {@code k} count towards its type's limit at {@code at}. */
    int inWindow(int k, TypeRule rule, long at) {
      if (rule.windowSeconds() == 0) {
        return count[k];
      }
      long after = at - rule.windowSeconds();
      int in = 0;
      for (int i = start[k], end = start[k] + count[k]; i < end; i++) {
        if (times[i] > after) {
          in++;
        }
      }
      return in;
    }
  }

  /** Persons at least this large keep their {@link MemberKeys} between pieces of evidence. */
  private static final int KEEP_KEYS_FROM = 16;

  private static final int MAX_KEPT_KEYS = 4096;
  private final Map<Integer, MemberKeys> keptKeys = new HashMap<>();
  private final MemberKeys pendingKeys = new MemberKeys();
  private final MemberKeys groupScratch = new MemberKeys();
  private final MemberKeys otherScratch = new MemberKeys();

  private MemberKeys keysOf(int person, MemberKeys scratch) {
    if (size[person] < KEEP_KEYS_FROM) {
      return scratch.of(membersOf(person, scratch == otherScratch), size[person]);
    }
    MemberKeys kept = keptKeys.get(person);
    if (kept == null) {
      if (keptKeys.size() >= MAX_KEPT_KEYS) {
        keptKeys.clear();
      }
      kept = scratch.of(membersOf(person, scratch == otherScratch), size[person]).copy();
      keptKeys.put(person, kept);
    }
    return kept;
  }

  /** The person's members changed: its kept keys (if any) are stale. */
  private void changed(int person) {
    if (size[person] >= KEEP_KEYS_FROM - 1 && !keptKeys.isEmpty()) {
      keptKeys.remove(person);
    }
  }

  // ---- mutation ----------------------------------------------------------------------------------

  /** The older person (lower id) survives; the younger one's identifiers move to it. */
  private int merge(int a, int b, Changes changes) {
    int survivor = Math.min(a, b);
    int merged = Math.max(a, b);
    changed(survivor);
    changed(merged);
    int[] moved = new int[size[merged]];
    fill(merged, moved);
    for (int n : moved) {
      personOf[n] = survivor;
      changes.nodeChanged(n);
    }
    // splice the two circular lists into one
    int s = head[survivor];
    int m = head[merged];
    int afterS = next[s];
    next[s] = next[m];
    next[m] = afterS;
    size[survivor] += size[merged];
    size[merged] = 0;
    personCount--;
    Set<Integer> apart = apartOf.get(merged);
    if (apart != null) {
      for (int other : apart.toArray(new Integer[0])) {
        clearApart(merged, other, changes);
        keepApart(survivor, other, changes);
      }
    }
    changes.personsMerged(survivor, merged, moved);
    return survivor;
  }

  private void keepApart(int a, int b, Changes changes) {
    if (a != b && apartPairs.add(pair(a, b))) {
      apartOf.computeIfAbsent(a, k -> new HashSet<>()).add(b);
      apartOf.computeIfAbsent(b, k -> new HashSet<>()).add(a);
      changes.apartChanged(Math.min(a, b), Math.max(a, b), true);
    }
  }

  private void clearApart(int a, int b, Changes changes) {
    if (apartPairs.remove(pair(a, b))) {
      forget(a, b);
      forget(b, a);
      changes.apartChanged(Math.min(a, b), Math.max(a, b), false);
    }
  }

  private void forget(int person, int other) {
    Set<Integer> set = apartOf.get(person);
    set.remove(other);
    if (set.isEmpty()) {
      apartOf.remove(person);
    }
  }

  private int createPerson(int[] nodes, int count, Changes changes) {
    if (nextPerson == Integer.MAX_VALUE) {
      throw new IllegalStateException("person ids are exhausted (31 bits)");
    }
    int person = nextPerson++;
    ensurePerson(person);
    for (int i = 0; i < count; i++) {
      join(nodes[i], person);
      changes.nodeChanged(nodes[i]);
    }
    return person;
  }

  private void ensurePerson(int person) {
    if (person >= size.length) {
      int capacity = Math.max(size.length * 2, person + 1);
      size = Arrays.copyOf(size, capacity);
      head = Arrays.copyOf(head, capacity);
    }
  }

  private void join(int node, int person) {
    ensurePerson(person);
    changed(person);
    if (size[person] == 0) {
      personCount++;
      head[person] = node;
      next[node] = node;
    } else {
      int h = head[person];
      next[node] = next[h];
      next[h] = node;
    }
    size[person]++;
    personOf[node] = person;
  }

  private void leave(int node, int person) {
    changed(person);
    if (size[person] == 1) {
      personCount--;
    } else {
      int before = node;
      while (next[before] != node) { // bounded by the person's size
        before = next[before];
      }
      next[before] = next[node];
      if (head[person] == node) {
        head[person] = next[node];
      }
    }
    size[person]--;
    personOf[node] = NO_PERSON;
  }

  private int[] orderBuffer = new int[8];
  private int[] pendingBuffer = new int[8];
  private int[] demotedBuffer = new int[8];

  /** Distinct nodes into {@link #orderBuffer}, highest priority first; equal priorities keep their order. */
  private int byPriority(int[] nodes) {
    if (orderBuffer.length < nodes.length) {
      orderBuffer = new int[nodes.length];
      pendingBuffer = new int[nodes.length];
      demotedBuffer = new int[nodes.length];
    }
    int[] distinct = orderBuffer;
    int count = 0;
    outer:
    for (int n : nodes) {
      for (int i = 0; i < count; i++) {
        if (distinct[i] == n) {
          continue outer;
        }
      }
      distinct[count++] = n;
    }
    // insertion sort: evidence holds a handful of identifiers
    for (int i = 1; i < count; i++) {
      int n = distinct[i];
      int p = priorityOf[typeOf[n]];
      int j = i - 1;
      while (j >= 0 && priorityOf[typeOf[distinct[j]]] < p) {
        distinct[j + 1] = distinct[j];
        j--;
      }
      distinct[j + 1] = n;
    }
    return count;
  }

  private static long pair(int a, int b) {
    return ((long) Math.min(a, b) << 32) | Math.max(a, b);
  }
}
