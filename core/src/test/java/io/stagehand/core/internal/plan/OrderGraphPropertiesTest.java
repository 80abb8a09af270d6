package io.stagehand.core.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.StoreException;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.PlanEdge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * The planner's own ordering graph against JGraphT on random DAGs: waves, remaining paths,
 * neighbours and the order of the edges must be what a general-purpose graph computes.
 */
class OrderGraphPropertiesTest {

  @Property(tries = 200)
  void agreesWithJGraphT(@ForAll @IntRange(min = 1, max = 60) int vertices, @ForAll @IntRange(max = 200) int edgeCount,
      @ForAll long seed) {
    Random random = new Random(seed);
    List<ResourceId> ids = new ArrayList<>();
    for (int i = 0; i < vertices; i++) {
      ids.add(ResourceId.of("r" + random.nextInt(1000) + "x" + i));
    }
    // a hidden topological order (the list order) keeps it acyclic; ids are not in that order
    OrderGraph ours = new OrderGraph();
    Graph<ResourceId, DefaultEdge> reference = new SimpleDirectedGraph<>(DefaultEdge.class);
    List<ResourceId> insertion = new ArrayList<>(ids);
    java.util.Collections.shuffle(insertion, random);
    insertion.forEach(ours::add);
    insertion.forEach(reference::addVertex);
    Map<List<ResourceId>, String> firstReason = new HashMap<>();
    for (int k = 0; k < edgeCount && vertices > 1; k++) {
      int a = random.nextInt(vertices - 1);
      int b = a + 1 + random.nextInt(vertices - a - 1);
      String reason = "reason " + k;
      ours.addEdge(ids.get(a), ids.get(b), reason);
      reference.addEdge(ids.get(a), ids.get(b));
      firstReason.putIfAbsent(List.of(ids.get(a), ids.get(b)), reason);
    }
    Set<ResourceId> gone = new TreeSet<>();
    for (ResourceId id : ids) {
      if (random.nextInt(8) == 0) {
        gone.add(id);
      }
    }
    for (ResourceId id : ids) {
      TreeSet<ResourceId> succ = new TreeSet<>();
      reference.outgoingEdgesOf(id).forEach(e -> succ.add(reference.getEdgeTarget(e)));
      assertThat(ours.successors(id)).containsExactlyElementsOf(succ);
    }
    ours.remove(gone);
    reference.removeAllVertices(gone);
    ours.order();

    List<ResourceId> topo = new ArrayList<>();
    new TopologicalOrderIterator<>(reference).forEachRemaining(topo::add);
    Map<ResourceId, Integer> wave = new HashMap<>();
    for (ResourceId id : topo) {
      int w = 1;
      for (DefaultEdge e : reference.incomingEdgesOf(id)) {
        w = Math.max(w, wave.get(reference.getEdgeSource(e)) + 1);
      }
      wave.put(id, w);
    }
    Map<ResourceId, Integer> remaining = new HashMap<>();
    for (int i = topo.size() - 1; i >= 0; i--) {
      int r = 1;
      for (DefaultEdge e : reference.outgoingEdgesOf(topo.get(i))) {
        r = Math.max(r, remaining.get(reference.getEdgeTarget(e)) + 1);
      }
      remaining.put(topo.get(i), r);
    }
    for (ResourceId id : topo) {
      assertThat(ours.wave(id)).as("wave of %s", id).isEqualTo(wave.get(id));
      assertThat(ours.remainingPath(id)).as("remaining path of %s", id).isEqualTo(remaining.get(id));
      TreeSet<ResourceId> preds = new TreeSet<>();
      reference.incomingEdgesOf(id).forEach(e -> preds.add(reference.getEdgeSource(e)));
      assertThat(ours.livePredecessors(id)).containsExactlyElementsOf(preds);
      TreeSet<ResourceId> succs = new TreeSet<>();
      reference.outgoingEdgesOf(id).forEach(e -> succs.add(reference.getEdgeTarget(e)));
      assertThat(ours.liveSuccessors(id)).containsExactlyElementsOf(succs);
    }
    List<PlanEdge> expected = new ArrayList<>();
    for (DefaultEdge e : reference.edgeSet()) {
      ResourceId a = reference.getEdgeSource(e);
      ResourceId b = reference.getEdgeTarget(e);
      expected.add(new PlanEdge(a, b, firstReason.get(List.of(a, b))));
    }
    expected.sort(Comparator.comparing(PlanEdge::before).thenComparing(PlanEdge::after));
    assertThat(ours.liveEdges()).containsExactlyElementsOf(expected);
  }

  @Example
  void aCycleIsReportedNotLooped() {
    OrderGraph g = new OrderGraph();
    ResourceId a = ResourceId.of("a");
    ResourceId b = ResourceId.of("b");
    g.add(a);
    g.add(b);
    g.addEdge(a, b, "b takes a.x");
    g.addEdge(b, a, "a takes b.y");
    assertThatThrownBy(g::order).isInstanceOf(StoreException.class).hasMessageContaining("cycle");
  }
}
