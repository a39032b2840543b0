package io.pond.identity.graph.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.graph.domain.IdentityGraph.Kind;
import io.pond.identity.graph.domain.IdentityGraph.TypeRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentityGraphTest {

  static final long DAY = 86_400;
  IdentityGraph graph;
  Recorder changes;

  /** Records merges and conflicts as the store would receive them. */
  static final class Recorder implements IdentityGraph.Changes {
    final List<int[]> merges = new ArrayList<>();
    final List<String> conflicts = new ArrayList<>();

    @Override
    public void nodeChanged(int node) {}

    @Override
    public void personsMerged(int survivor, int merged, int[] movedNodes) {
      merges.add(new int[] {survivor, merged, movedNodes.length});
    }

    @Override
    public void conflictFound(int a, int b, String type, String scope, String reason) {
      conflicts.add(a + "/" + b + " " + reason + " " + type + "@" + scope);
    }
  }

  @BeforeEach
  void rules() {
    graph = new IdentityGraph(6, 16);
    graph.rule(new TypeRule("login_id", true, 90, 1, 0));
    graph.rule(new TypeRule("phone", true, 85, 3, 0));
    graph.rule(new TypeRule("wechat_openid", true, 70, 1, 0));
    graph.rule(new TypeRule("device_id", false, 30, 2, 30 * DAY));
    graph.rule(new TypeRule("anonymous_id", false, 10, 20, 30 * DAY));
    changes = new Recorder();
  }

  int n(String type, String value) {
    return n(type, "", value);
  }

  int n(String type, String scope, String value) {
    return graph.node(type + "|" + scope + "|" + value, graph.typeIndex(type), graph.scope(scope));
  }

  IdentityGraph.Result link(long day, int... nodes) {
    return graph.link(nodes, day * DAY, changes);
  }

  @Test
  void identifiers_seen_together_become_one_new_person_and_a_known_one_attaches_the_rest() {
    IdentityGraph.Result first = link(1, n("anonymous_id", "a1"), n("device_id", "d1"));
    assertThat(first.kind()).isEqualTo(Kind.CREATED);
    assertThat(first.person()).isEqualTo(1);

    IdentityGraph.Result second = link(2, n("login_id", "alice"), n("anonymous_id", "a1"));
    assertThat(second.kind()).isEqualTo(Kind.ATTACHED);
    assertThat(second.person()).isEqualTo(1);
    assertThat(graph.members(1)).hasSize(3);
    assertThat(graph.nextPerson()).as("no person id burnt for the attach").isEqualTo(2);

    assertThat(link(3, n("login_id", "alice"), n("device_id", "d1")).kind()).isEqualTo(Kind.UNCHANGED);
  }

  @Test
  void two_anonymous_persons_merge_into_the_older_one_when_a_login_links_them() {
    link(1, n("anonymous_id", "web"));
    link(1, n("anonymous_id", "app"));
    link(2, n("login_id", "alice"), n("anonymous_id", "app"));

    IdentityGraph.Result merge = link(3, n("login_id", "alice"), n("anonymous_id", "web"));

    assertThat(merge.kind()).isEqualTo(Kind.MERGED);
    assertThat(merge.person()).as("the older person survives").isEqualTo(1);
    assertThat(changes.merges).hasSize(1);
    assertThat(changes.merges.get(0)).containsExactly(1, 2, 2);
    assertThat(graph.size(2)).isZero();
    assertThat(graph.personCount()).isEqualTo(1);
  }

  @Test
  void identified_is_sticky_a_shared_device_never_merges_two_logins() {
    int device = n("device_id", "family-ipad");
    link(1, n("login_id", "alice"), device);

    IdentityGraph.Result bob = link(2, n("login_id", "bob"), device);

    assertThat(bob.kind()).isEqualTo(Kind.CONFLICT);
    assertThat(bob.conflictReason()).isEqualTo("sticky:login_id");
    assertThat(bob.person()).as("the message belongs to bob, its highest-priority identifier").isNotEqualTo(1);
    assertThat(graph.personOf(device)).isEqualTo(1);
    assertThat(changes.conflicts).containsExactly("2/1 sticky:login_id login_id@");

    link(3, n("login_id", "bob"), device);
    assertThat(changes.conflicts).as("a conflict is recorded once per pair").hasSize(1);
  }

  @Test
  void openids_of_different_apps_are_not_in_conflict_but_two_of_one_app_are() {
    link(1, n("wechat_openid", "app1", "o1"), n("phone", "p1"));
    IdentityGraph.Result otherApp = link(2, n("wechat_openid", "app2", "o2"), n("phone", "p1"));
    assertThat(otherApp.kind()).isEqualTo(Kind.ATTACHED);

    link(3, n("wechat_openid", "app1", "o3"));
    IdentityGraph.Result sameApp = link(4, n("wechat_openid", "app1", "o3"), n("phone", "p1"));
    assertThat(sameApp.kind()).isEqualTo(Kind.CONFLICT);
    assertThat(sameApp.conflictReason()).isEqualTo("sticky:wechat_openid");
  }

  @Test
  void an_identifier_over_its_type_limit_is_demoted_to_a_person_of_its_own_with_a_reason() {
    int login = n("login_id", "alice");
    link(1, login, n("device_id", "d1"));
    link(2, login, n("device_id", "d2"));

    IdentityGraph.Result third = link(3, login, n("device_id", "d3"));

    assertThat(third.person()).isEqualTo(1);
    assertThat(third.notes()).containsExactly("limit:device_id");
    assertThat(graph.members(1)).hasSize(3);
    assertThat(graph.personOf(n("device_id", "d3"))).isNotEqualTo(1);
  }

  @Test
  void the_limit_counts_only_identifiers_attached_within_its_window() {
    int login = n("login_id", "alice");
    link(1, login, n("device_id", "d1"));
    link(2, login, n("device_id", "d2"));

    IdentityGraph.Result later = link(40, login, n("device_id", "d3"));

    assertThat(later.kind()).isEqualTo(Kind.ATTACHED);
    assertThat(graph.personOf(n("device_id", "d3"))).isEqualTo(1);
  }

  @Test
  void a_merge_that_would_break_a_weak_type_limit_is_refused_with_a_reason() {
    link(1, n("anonymous_id", "a1"), n("device_id", "d1"), n("device_id", "d2"));
    link(1, n("anonymous_id", "a2"), n("device_id", "d3"));

    IdentityGraph.Result r = link(2, n("anonymous_id", "a1"), n("anonymous_id", "a2"));

    assertThat(r.kind()).isEqualTo(Kind.UNCHANGED);
    assertThat(r.notes()).containsExactly("limit:device_id");
    assertThat(graph.personCount()).isEqualTo(2);
  }

  @Test
  void the_hard_cap_bounds_a_person_whatever_the_evidence() {
    int anchor = n("login_id", "hub");
    for (int i = 0; i < 10; i++) {
      link(1, anchor, n("anonymous_id", "a" + i));
    }
    assertThat(graph.size(graph.personOf(anchor))).isEqualTo(6);
  }

  @Test
  void unbind_detaches_an_identifier_into_a_person_of_its_own() {
    int device = n("device_id", "d1");
    link(1, n("login_id", "alice"), device);

    IdentityGraph.Result r = graph.unbind(new int[] {device}, changes);

    assertThat(r.kind()).isEqualTo(Kind.DETACHED);
    assertThat(graph.personOf(device)).isNotEqualTo(graph.personOf(n("login_id", "alice")));
  }

  @Test
  void a_split_restores_the_merged_person_with_its_old_id() {
    int web = n("anonymous_id", "web");
    link(1, web);
    link(1, n("login_id", "alice"), n("anonymous_id", "app"));
    link(2, n("login_id", "alice"), web);
    assertThat(graph.personOf(web)).isEqualTo(1);
    int[] moved = {n("login_id", "alice"), n("anonymous_id", "app")};

    IdentityGraph.Result r = graph.split(moved, 2, changes);

    assertThat(r.kind()).isEqualTo(Kind.DETACHED);
    assertThat(r.person()).isEqualTo(2);
    assertThat(graph.personOf(web)).isEqualTo(1);
    assertThat(graph.personOf(n("login_id", "alice"))).isEqualTo(2);
  }

  @Test
  void an_operator_merge_overrides_the_sticky_rule() {
    link(1, n("login_id", "alice"));
    link(1, n("login_id", "alice-old"));

    IdentityGraph.Result r = graph.forceMerge(new int[] {n("login_id", "alice"), n("login_id", "alice-old")}, changes);

    assertThat(r.kind()).isEqualTo(Kind.MERGED);
    assertThat(graph.personCount()).isEqualTo(1);
  }

  @Test
  void after_a_split_the_same_evidence_no_longer_merges_the_two_persons() {
    int web = n("anonymous_id", "web");
    int alice = n("login_id", "alice");
    link(1, web);
    link(1, alice, n("anonymous_id", "app"));
    link(2, alice, web);
    graph.split(new int[] {alice, n("anonymous_id", "app")}, 2, changes);

    IdentityGraph.Result again = link(3, alice, web);

    assertThat(again.kind()).isEqualTo(Kind.UNCHANGED);
    assertThat(again.notes()).containsExactly(IdentityGraph.KEPT_APART);
    assertThat(graph.personOf(alice)).isEqualTo(2);
    assertThat(graph.personOf(web)).isEqualTo(1);
    assertThat(graph.keptApart(1, 2)).isTrue();
  }

  @Test
  void a_person_that_merges_later_stays_apart_from_the_person_split_from_it() {
    int web = n("anonymous_id", "web");
    int alice = n("login_id", "alice");
    link(1, web);
    link(1, alice);
    link(2, alice, web);
    graph.split(new int[] {alice}, 2, changes);
    int other = n("anonymous_id", "other");
    link(3, other);
    link(4, other, web); // person 3 merges into person 1, which is kept apart from 2

    IdentityGraph.Result r = link(5, other, alice);

    assertThat(r.notes()).containsExactly(IdentityGraph.KEPT_APART);
    assertThat(graph.personOf(other)).isEqualTo(1);
    assertThat(graph.personOf(alice)).isEqualTo(2);
  }

  @Test
  void the_survivor_of_a_merge_inherits_the_merged_persons_keep_apart_pairs() {
    int a = n("anonymous_id", "a");
    int b = n("anonymous_id", "b");
    int c = n("anonymous_id", "c");
    link(1, a);
    link(1, b);
    link(1, c);
    link(2, c, b); // person 3 (c) into person 2 (b)
    graph.split(new int[] {c}, 3, changes); // 2 and 3 apart
    link(3, a, b); // person 2 into person 1: the pair moves to 1

    assertThat(graph.apartPairs()).containsExactly(new int[] {1, 3});
    assertThat(link(4, a, c).notes()).containsExactly(IdentityGraph.KEPT_APART);
  }

  @Test
  void an_operator_merge_joins_persons_kept_apart_and_ends_the_pair() {
    int web = n("anonymous_id", "web");
    int alice = n("login_id", "alice");
    link(1, web);
    link(1, alice);
    link(2, alice, web);
    graph.split(new int[] {alice}, 2, changes);

    IdentityGraph.Result r = graph.forceMerge(new int[] {alice, web}, changes);

    assertThat(r.kind()).isEqualTo(Kind.MERGED);
    assertThat(graph.personOf(alice)).isEqualTo(graph.personOf(web));
    assertThat(graph.apartPairs()).isEmpty();
  }
}
