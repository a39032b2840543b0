package io.pond.identity.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.pond.PondApplication;
import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.PersonId;
import io.pond.identity.Resolution;
import io.pond.identity.types.IdentifierTypes;
import io.pond.platform.Identifier;
import io.pond.platform.errors.PondException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * ARCHITECTURE.md, "Identity": a full rebuild gives the same graph as incremental resolution, and
 * replaying evidence changes nothing. Random streams of evidence — junk values, unknown types, shared
 * devices (sticky conflicts), limits with windows, a low hard cap, aliases, signups, binds, unbinds,
 * operator merges and splits (followed by evidence linking the split persons again, which must keep
 * them apart), repeated message ids — are resolved incrementally in random batches
 * against the real store; then the identity map (in memory and in the store), a full rebuild, a reload
 * from the store and a replay of the whole stream must all agree, person id for person id.
 */
class RebuildEqualsIncrementalProperties {

  private static ConfigurableApplicationContext context;

  static synchronized ConfigurableApplicationContext context() {
    if (context == null) {
      context = new SpringApplicationBuilder(PondApplication.class)
          .web(WebApplicationType.NONE)
          .bannerMode(Banner.Mode.OFF)
          .properties("pond.identity.max-identifiers-per-person=6", "logging.level.root=WARN")
          .run();
      IdentifierTypes types = context.getBean(IdentifierTypes.class);
      types.change("device_id", new IdentifierTypes.Change(null, null, null, null, 2, 30, null), "test");
      types.change("anonymous_id", new IdentifierTypes.Change(null, null, null, null, 3, 30, null), "test");
    }
    return context;
  }

  @AfterAll
  static void close() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  sealed interface Op {}

  record Resolve(Evidence evidence) implements Op {}

  record ManualMerge(Identifier a, Identifier b) implements Op {}

  record Split(Identifier of) implements Op {}

  static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  private static <T> Gen<T> pick(List<T> values) {
    return Generate.pick(values);
  }

  static Gen<List<Op>> streams() {
    Gen<Identifier> id = Generate.frequency(List.of(
        Pair.of(3, integers().between(1, 5).map(i -> Identifier.global(Identifier.LOGIN_ID, "u" + i))),
        Pair.of(3, integers().between(1, 6).map(i -> Identifier.global(Identifier.DEVICE_ID, "d" + i))),
        Pair.of(4, integers().between(1, 10).map(i -> Identifier.global(Identifier.ANONYMOUS_ID, "a" + i))),
        Pair.of(2, pick(List.of("13800000001", "+86 138 0000 0002", "008613800000003", "187****8991"))
            .map(v -> Identifier.global(Identifier.PHONE, v))),
        Pair.of(2, pick(List.of("app1", "app2")).zip(integers().between(1, 4),
            (app, i) -> Identifier.scoped(Identifier.WECHAT_OPENID, app, "o" + i))),
        Pair.of(1, pick(List.of("null", "0", "undefined", "", "-1", "anonymous"))
            .map(v -> Identifier.global(Identifier.ANONYMOUS_ID, v))),
        Pair.of(1, pick(List.of("x", "y")).map(v -> Identifier.global("oaid", v)))));
    Gen<LinkKind> kind = Generate.frequency(List.of(
        Pair.of(8, Generate.constant(LinkKind.TOGETHER)),
        Pair.of(2, Generate.constant(LinkKind.ALIAS)),
        Pair.of(1, Generate.constant(LinkKind.SIGNUP)),
        Pair.of(1, Generate.constant(LinkKind.BIND)),
        Pair.of(1, Generate.constant(LinkKind.UNBIND))));
    Gen<Op> resolve = lists().of(id).ofSizeBetween(1, 4).zip(kind, integers().between(0, 90), integers().between(0, 120),
        (ids, k, day, msg) -> (Op) new Resolve(new Evidence(ids, k, "test", BASE.plus(Duration.ofDays(day)), "m" + msg)));
    Gen<Op> merge = id.zip(id, (a, b) -> (Op) new ManualMerge(a, b));
    Gen<Op> split = id.map(a -> (Op) new Split(a));
    return lists().of(Generate.frequency(List.of(Pair.of(12, resolve), Pair.of(1, merge), Pair.of(1, split))))
        .ofSizeBetween(20, 80);
  }

  /** What the random streams exercised, so that the property is known to reach merges, conflicts and unbinds. */
  private static final java.util.Set<String> COVERED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Test
  void rebuild_and_incremental_resolution_give_the_same_graph_and_replays_change_nothing() {
    qt().withExamples(30)
        .withShrinkCycles(20)
        .forAll(streams(), pick(List.of(1, 7, 100)))
        .checkAssert(RebuildEqualsIncrementalProperties::rebuildEqualsIncremental);
    assertThat(COVERED).contains("merged", "conflict", "detached", "kept_apart");
  }

  static void rebuildEqualsIncremental(List<Op> stream, int batchSize) {
    IdentityGraphService service = context().getBean(IdentityGraphService.class);
    PersonOperations operations = context.getBean(PersonOperations.class);
    GraphRebuild rebuild = context.getBean(GraphRebuild.class);
    reset(service);

    List<Evidence> pending = new ArrayList<>();
    List<Evidence> all = new ArrayList<>();
    for (Op op : stream) {
      switch (op) {
        case Resolve r -> {
          pending.add(r.evidence());
          all.add(r.evidence());
          if (pending.size() >= batchSize) {
            service.resolveAll(List.copyOf(pending));
            pending.clear();
          }
        }
        case ManualMerge m -> {
          service.resolveAll(List.copyOf(pending));
          pending.clear();
          Optional<PersonId> a = service.personOf(m.a());
          Optional<PersonId> b = service.personOf(m.b());
          if (a.isPresent() && b.isPresent() && !a.equals(b)) {
            try {
              operations.merge(List.of(a.get(), b.get()), null, "test");
            } catch (PondException capped) {
              // over the hard cap: refused, nothing changed
            }
          }
        }
        case Split s -> {
          service.resolveAll(List.copyOf(pending));
          pending.clear();
          service.personOf(s.of()).ifPresent(p -> {
            try {
              PersonOperations.SplitResult split = operations.split(p, null, "test");
              // the same kind of evidence that merged them arrives again: they must stay apart
              Evidence again = new Evidence(
                  List.of(service.identifiersOf(p).get(0), service.identifiersOf(PersonId.of(split.restored())).get(0)),
                  LinkKind.TOGETHER, "test", BASE.plus(Duration.ofDays(91)), "relink-" + all.size());
              all.add(again);
              service.resolveAll(List.of(again));
            } catch (PondException nothingToSplit) {
              // no merge into this person, or nothing left to move
            }
          });
        }
      }
    }
    service.resolveAll(pending);

    Map<String, Integer> incremental = inMemory(service);
    List<String> apartBefore = apartInMemory(service);
    service.load(); // a crash before the checkpoint: the checkpoint plus the log's tail give the same graph
    assertThat(inMemory(service)).as("checkpoint + redo of the log = incremental").isEqualTo(incremental);
    assertThat(apartInMemory(service)).isEqualTo(apartBefore);
    var jdbc = service.store().jdbc();
    if (jdbc.sql("SELECT COUNT(*) FROM identity_merge").query(Integer.class).single() > 0) {
      COVERED.add("merged");
    }
    if (jdbc.sql("SELECT COUNT(*) FROM identity_conflict").query(Integer.class).single() > 0) {
      COVERED.add("conflict");
    }
    service.evidenceLog().scan(0, (offset, e) -> {
      if (e.outcome().equals("detached")) {
        COVERED.add("detached");
      }
      if (e.reason() != null && e.reason().contains("kept_apart")) {
        COVERED.add("kept_apart");
      }
    });
    assertThat(inStore(service)).as("the store holds what memory holds").isEqualTo(incremental);
    List<String> edges = edgesInStore(service);
    List<String> apart = apartInMemory(service);
    assertThat(apartInStore(service)).as("the store keeps apart what memory keeps apart").isEqualTo(apart);

    rebuild.rebuild("test", done -> {});
    assertThat(inMemory(service)).as("rebuild = incremental").isEqualTo(incremental);
    assertThat(inStore(service)).as("rebuilt store = incremental").isEqualTo(incremental);
    assertThat(edgesInStore(service)).as("rebuilt graph view edges = incremental").isEqualTo(edges);
    assertThat(apartInMemory(service)).as("rebuild keeps apart what incremental resolution keeps apart").isEqualTo(apart);
    assertThat(apartInStore(service)).isEqualTo(apart);

    service.load();
    assertThat(inMemory(service)).as("reloaded from the store").isEqualTo(incremental);
    assertThat(apartInMemory(service)).as("reloaded keep-apart pairs").isEqualTo(apart);

    List<Resolution> replayed = service.resolveAll(all);
    assertThat(replayed).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(new Resolution.Outcome.Unchanged(true)));
    assertThat(inMemory(service)).as("replaying the stream changes nothing").isEqualTo(incremental);
    assertThat(inStore(service)).isEqualTo(incremental);
  }

  static void reset(IdentityGraphService service) {
    var jdbc = service.store().jdbc();
    for (String table : List.of("identity_evidence", "identity_identifier", "identity_evidence_node", "identity_merge", "identity_conflict",
        "identity_apart")) {
      jdbc.sql("DELETE FROM " + table).update();
    }
    // a new store: a new, empty evidence log
    jdbc.sql("UPDATE identity_state SET generation = generation + 1, next_person = 1, next_seq = 1, next_merge = 1, next_conflict = 1,"
            + " evidence_log = NULL").update();
    service.load();
  }

  static Map<String, Integer> inMemory(IdentityGraphService service) {
    return service.read(l -> {
      Map<String, Integer> out = new TreeMap<>();
      for (int n = 0; n < l.graph.nodeCount(); n++) {
        out.put(l.graph.keyOf(n), l.graph.personOf(n));
      }
      return out;
    });
  }

  static List<String> apartInMemory(IdentityGraphService service) {
    return service.read(l -> l.graph.apartPairs().stream().map(p -> p[0] + "/" + p[1]).toList());
  }

  static List<String> apartInStore(IdentityGraphService service) {
    service.checkpoint();
    return service.store().jdbc().sql("SELECT person_a, person_b FROM identity_apart ORDER BY person_a, person_b")
        .query((rs, n) -> rs.getInt(1) + "/" + rs.getInt(2)).list();
  }

  /** The graph view's edges as the store holds them (edge rows and identifiers' first evidence): "seq key", sorted. */
  static List<String> edgesInStore(IdentityGraphService service) {
    service.checkpoint();
    return service.store().jdbc()
        .sql("SELECT e.evidence_seq, i.id_key FROM identity_evidence_node e JOIN identity_identifier i ON i.id = e.node_id"
            + " UNION ALL SELECT first_seq, id_key FROM identity_identifier WHERE first_seq IS NOT NULL")
        .query((rs, n) -> rs.getLong(1) + " " + rs.getString(2)).list().stream().sorted().toList();
  }

  static Map<String, Integer> inStore(IdentityGraphService service) {
    service.checkpoint();
    Map<String, Integer> out = new TreeMap<>();
    service.store().jdbc().sql("SELECT id_key, person_id FROM identity_identifier")
        .query(rs -> {
          out.put(rs.getString(1), rs.getInt(2));
        });
    return out;
  }
}
