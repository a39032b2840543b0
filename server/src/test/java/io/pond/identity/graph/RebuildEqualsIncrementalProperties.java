package io.pond.identity.graph;

import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * ARCHITECTURE.md, "Identity": a full rebuild gives the same graph as incremental resolution, and
 * replaying evidence changes nothing. Random streams of evidence — junk values, unknown types, shared
 * devices (sticky conflicts), limits with windows, a low hard cap, aliases, signups, binds, unbinds,
 * operator merges and splits, repeated message ids — are resolved incrementally in random batches
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

  @AfterContainer
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

  @Provide
  Arbitrary<List<Op>> streams() {
    Arbitrary<Identifier> id = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 5).map(i -> Identifier.global(Identifier.LOGIN_ID, "u" + i))),
        net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1, 6).map(i -> Identifier.global(Identifier.DEVICE_ID, "d" + i))),
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 10).map(i -> Identifier.global(Identifier.ANONYMOUS_ID, "a" + i))),
        net.jqwik.api.Tuple.of(2, Arbitraries.of("13800000001", "+86 138 0000 0002", "008613800000003", "187****8991")
            .map(v -> Identifier.global(Identifier.PHONE, v))),
        net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.of("app1", "app2"), Arbitraries.integers().between(1, 4))
            .as((app, i) -> Identifier.scoped(Identifier.WECHAT_OPENID, app, "o" + i))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("null", "0", "undefined", "", "-1", "anonymous")
            .map(v -> Identifier.global(Identifier.ANONYMOUS_ID, v))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("x", "y").map(v -> Identifier.global("oaid", v))));
    Arbitrary<LinkKind> kind = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.just(LinkKind.TOGETHER)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(LinkKind.ALIAS)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(LinkKind.SIGNUP)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(LinkKind.BIND)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(LinkKind.UNBIND)));
    Arbitrary<Op> resolve = Combinators.combine(
            id.list().ofMinSize(1).ofMaxSize(4), kind, Arbitraries.integers().between(0, 90), Arbitraries.integers().between(0, 120))
        .as((ids, k, day, msg) -> (Op) new Resolve(new Evidence(ids, k, "test", BASE.plus(Duration.ofDays(day)), "m" + msg)));
    Arbitrary<Op> merge = Combinators.combine(id, id).as((a, b) -> (Op) new ManualMerge(a, b));
    Arbitrary<Op> split = id.map(a -> (Op) new Split(a));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(12, resolve), net.jqwik.api.Tuple.of(1, merge), net.jqwik.api.Tuple.of(1, split))
        .list().ofMinSize(20).ofMaxSize(80);
  }

  @Property(tries = 30)
  void rebuild_and_incremental_resolution_give_the_same_graph_and_replays_change_nothing(
      @ForAll("streams") List<Op> stream, @ForAll("batchSizes") int batchSize) {
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
              operations.split(p, null, "test");
            } catch (PondException nothingToSplit) {
              // no merge into this person, or nothing left to move
            }
          });
        }
      }
    }
    service.resolveAll(pending);

    Map<String, Integer> incremental = inMemory(service);
    var jdbc = service.store().jdbc();
    net.jqwik.api.statistics.Statistics.label("graph changes").collect(
        jdbc.sql("SELECT COUNT(*) FROM identity_merge").query(Integer.class).single() > 0 ? "merged" : "no merge",
        jdbc.sql("SELECT COUNT(*) FROM identity_conflict").query(Integer.class).single() > 0 ? "conflict" : "no conflict",
        jdbc.sql("SELECT COUNT(*) FROM identity_evidence WHERE outcome = 'detached'").query(Integer.class).single() > 0
            ? "detached" : "none detached");
    assertThat(inStore(service)).as("the store holds what memory holds").isEqualTo(incremental);

    rebuild.rebuild("test", done -> {});
    assertThat(inMemory(service)).as("rebuild = incremental").isEqualTo(incremental);
    assertThat(inStore(service)).as("rebuilt store = incremental").isEqualTo(incremental);

    service.load();
    assertThat(inMemory(service)).as("reloaded from the store").isEqualTo(incremental);

    List<Resolution> replayed = service.resolveAll(all);
    assertThat(replayed).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(new Resolution.Outcome.Unchanged(true)));
    assertThat(inMemory(service)).as("replaying the stream changes nothing").isEqualTo(incremental);
    assertThat(inStore(service)).isEqualTo(incremental);
  }

  @Provide
  Arbitrary<Integer> batchSizes() {
    return Arbitraries.of(1, 7, 100);
  }

  static void reset(IdentityGraphService service) {
    var jdbc = service.store().jdbc();
    for (String table : List.of("identity_evidence", "identity_identifier", "identity_evidence_node", "identity_merge", "identity_conflict")) {
      jdbc.sql("DELETE FROM " + table).update();
    }
    jdbc.sql("UPDATE identity_state SET generation = generation + 1, next_person = 1, next_seq = 1, next_merge = 1, next_conflict = 1")
        .update();
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

  static Map<String, Integer> inStore(IdentityGraphService service) {
    Map<String, Integer> out = new TreeMap<>();
    service.store().jdbc().sql("SELECT id_key, person_id FROM identity_identifier")
        .query(rs -> {
          out.put(rs.getString(1), rs.getInt(2));
        });
    return out;
  }
}
