package io.stagehand.core;

import io.stagehand.core.spi.StoreReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * Turns the staged diffs into a {@link Plan}: one action per resource on its net diff, ordered by
 * DESIGN.md's two rules. Only the affected resources are visited, so the cost follows the change.
 */
final class Planner {
  private Planner() {}

  static Plan plan(StoreReader r) {
    long mark = r.staged().position();
    List<StagedEntry> entries = r.staged().entries();
    DesiredState desired = Staging.desired(r);
    SortedMap<ResourceId, Diff> diffs = desired.diffs();

    Map<ResourceId, List<Long>> consumed = new TreeMap<>();
    Map<ResourceId, Tag> revertOf = new TreeMap<>();
    for (StagedEntry e : entries) {
      consumed.computeIfAbsent(e.owner(), k -> new ArrayList<>()).add(e.sequence());
      e.revertOf().ifPresent(t -> revertOf.putIfAbsent(e.owner(), t));
    }

    Graph<ResourceId, DefaultEdge> graph = new SimpleDirectedGraph<>(DefaultEdge.class);
    diffs.keySet().forEach(graph::addVertex);
    Map<List<ResourceId>, String> reasons = new LinkedHashMap<>();
    for (Diff d : diffs.values()) {
      Action action = d.action().orElseThrow();
      if (action == Action.RUN || action == Action.UPDATE) {
        // rule 1: desired connection A -> B, both run or update: A before B
        for (Connection c : d.after().orElseThrow().incoming()) {
          ResourceId a = c.emitter().resource();
          Diff emitter = diffs.get(a);
          if (emitter != null && emitter.action().orElseThrow() != Action.REMOVE) {
            addEdge(graph, reasons, a, d.resource(), d.resource() + " takes " + c.emitter());
          }
        }
      } else {
        // rule 2: applied connection A -> B, A removed, B updated or removed: B before A
        for (Connection c : r.state().outgoing(d.resource())) {
          ResourceId b = c.receiver().resource();
          Diff receiver = diffs.get(b);
          if (receiver != null && receiver.action().orElseThrow() != Action.RUN) {
            addEdge(graph, reasons, b, d.resource(), b + " lets go of " + c.emitter() + " first");
          }
        }
      }
    }

    List<ResourceId> topo = new ArrayList<>(diffs.size());
    try {
      new TopologicalOrderIterator<>(graph, Comparator.<ResourceId>naturalOrder()).forEachRemaining(topo::add);
    } catch (IllegalArgumentException cycle) {
      throw new StoreException("the plan's ordering rules form a cycle; the state has a connection cycle", cycle);
    }
    Map<ResourceId, Integer> wave = new HashMap<>();
    for (ResourceId id : topo) {
      int w = 1;
      for (DefaultEdge e : graph.incomingEdgesOf(id)) {
        w = Math.max(w, wave.get(graph.getEdgeSource(e)) + 1);
      }
      wave.put(id, w);
    }
    Map<ResourceId, Integer> remaining = new HashMap<>();
    for (int i = topo.size() - 1; i >= 0; i--) {
      ResourceId id = topo.get(i);
      int rem = 1;
      for (DefaultEdge e : graph.outgoingEdgesOf(id)) {
        rem = Math.max(rem, remaining.get(graph.getEdgeTarget(e)) + 1);
      }
      remaining.put(id, rem);
    }

    List<PlannedAction> actions = new ArrayList<>(diffs.size());
    for (Diff d : diffs.values()) {
      ResourceId id = d.resource();
      TreeSet<ResourceId> preds = new TreeSet<>();
      graph.incomingEdgesOf(id).forEach(e -> preds.add(graph.getEdgeSource(e)));
      TreeSet<ResourceId> succs = new TreeSet<>();
      graph.outgoingEdgesOf(id).forEach(e -> succs.add(graph.getEdgeTarget(e)));
      actions.add(PlannedAction.builder()
          .resource(id)
          .action(d.action().orElseThrow())
          .diff(d)
          .wave(wave.get(id))
          .predecessors(preds)
          .successors(succs)
          .remainingPath(remaining.get(id))
          .build());
    }
    actions.sort(Comparator.comparingInt(PlannedAction::wave).thenComparing(PlannedAction::resource));
    List<PlanEdge> edges = new ArrayList<>();
    reasons.forEach((k, v) -> edges.add(new PlanEdge(k.get(0), k.get(1), v)));
    edges.sort(Comparator.comparing(PlanEdge::before).thenComparing(PlanEdge::after));
    return new Plan(actions, edges, mark, consumed, revertOf);
  }

  private static void addEdge(Graph<ResourceId, DefaultEdge> g, Map<List<ResourceId>, String> reasons,
      ResourceId from, ResourceId to, String reason) {
    if (from.equals(to)) {
      return;
    }
    g.addEdge(from, to);
    reasons.putIfAbsent(List.of(from, to), reason);
  }
}
