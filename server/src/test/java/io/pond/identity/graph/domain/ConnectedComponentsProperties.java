package io.pond.identity.graph.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where no guard can say no (weak types with generous limits, a high cap), the graph's persons are
 * exactly the connected components of the evidence, computed independently here by breadth-first search.
 */
class ConnectedComponentsProperties {

  @Test
  void without_guards_persons_are_the_connected_components_of_the_evidence() {
    qt().withExamples(200)
        .forAll(lists().of(lists().of(integers().between(0, 60)).ofSizeBetween(1, 4)).ofSizeBetween(1, 80))
        .checkAssert(ConnectedComponentsProperties::personsAreComponents);
  }

  private static void personsAreComponents(List<List<Integer>> evidence) {
    IdentityGraph graph = new IdentityGraph(10_000, 64);
    int type = graph.rule(new IdentityGraph.TypeRule("cookie_id", false, 10, 10_000, 0));
    Map<Integer, Integer> nodes = new HashMap<>();
    Map<Integer, Set<Integer>> adjacent = new HashMap<>();
    for (List<Integer> e : evidence) {
      int[] ns = e.stream().mapToInt(v -> nodes.computeIfAbsent(v, k -> graph.node("c" + k, type, 0))).toArray();
      graph.link(ns, 0, IdentityGraph.IGNORE);
      for (int v : e) {
        adjacent.computeIfAbsent(v, k -> new HashSet<>()).addAll(e);
      }
    }
    Set<Set<Integer>> components = new HashSet<>();
    Set<Integer> seen = new HashSet<>();
    for (int start : adjacent.keySet()) {
      if (seen.add(start)) {
        Set<Integer> component = new HashSet<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
          int v = queue.poll();
          component.add(v);
          for (int w : adjacent.get(v)) {
            if (seen.add(w)) {
              queue.add(w);
            }
          }
        }
        components.add(component);
      }
    }
    Map<Integer, Set<Integer>> byPerson = new HashMap<>();
    nodes.forEach((value, node) -> byPerson.computeIfAbsent(graph.personOf(node), k -> new HashSet<>()).add(value));
    assertThat(new HashSet<>(byPerson.values())).isEqualTo(components);
    assertThat(graph.personCount()).isEqualTo(components.size());
    assertThat(new ArrayList<>(byPerson.keySet())).doesNotContain(IdentityGraph.NO_PERSON);
  }
}
