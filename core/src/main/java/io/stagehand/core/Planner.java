package io.stagehand.core;

import io.stagehand.core.spi.StoreReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    return plan(r, Selection.all());
  }

  static Plan plan(StoreReader r, Selection selection) {
    long mark = r.staged().position();
    List<StagedEntry> entries = r.staged().entries();
    DesiredState desired = Staging.desired(r);
    SortedMap<ResourceId, Diff> diffs = desired.diffs();

    Map<ResourceId, List<Long>> consumed = new TreeMap<>();
    Map<ResourceId, Tag> revertOf = new TreeMap<>();
    Map<ResourceId, Long> lastRemoval = new HashMap<>();
    for (StagedEntry e : entries) {
      consumed.computeIfAbsent(e.owner(), k -> new ArrayList<>()).add(e.sequence());
      e.revertOf().ifPresent(t -> revertOf.putIfAbsent(e.owner(), t));
      if (e.edit() instanceof Edit.Remove) {
        lastRemoval.put(e.owner(), e.sequence());
      }
    }
    // a connection or event staged from a resource that a later staged edit removes was undone by
    // that removal; it must go with the removal's commit, not outlive it in the staged log
    Map<ResourceId, List<Long>> voided = new TreeMap<>();
    for (StagedEntry e : entries) {
      ResourceId from = e.edit() instanceof Edit.Connect c ? c.connection().emitter().resource()
          : e.edit() instanceof Edit.AddEvent ev ? ev.event().source() : null;
      Long removal = from == null ? null : lastRemoval.get(from);
      if (removal != null && removal > e.sequence()) {
        voided.computeIfAbsent(from, k -> new ArrayList<>()).add(e.sequence());
      }
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

    Map<ResourceId, Action> actionOf = new HashMap<>();
    diffs.forEach((id, d) -> actionOf.put(id, d.action().orElseThrow()));
    Map<ResourceId, List<String>> reactions = react(r, desired, diffs, actionOf, graph, reasons);
    events(desired, diffs, actionOf, graph, reasons);

    Map<ResourceId, java.util.Set<ResourceId>> allSuccessors = new HashMap<>();
    for (ResourceId id : diffs.keySet()) {
      java.util.Set<ResourceId> succ = new java.util.HashSet<>();
      graph.outgoingEdgesOf(id).forEach(e -> succ.add(graph.getEdgeTarget(e)));
      allSuccessors.put(id, succ);
    }
    SortedMap<ResourceId, String> leftOut = select(graph, diffs, selection);
    graph.removeAllVertices(new java.util.HashSet<>(leftOut.keySet()));

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
      if (leftOut.containsKey(id)) {
        continue;
      }
      TreeSet<ResourceId> preds = new TreeSet<>();
      graph.incomingEdgesOf(id).forEach(e -> preds.add(graph.getEdgeSource(e)));
      TreeSet<ResourceId> succs = new TreeSet<>();
      graph.outgoingEdgesOf(id).forEach(e -> succs.add(graph.getEdgeTarget(e)));
      actions.add(PlannedAction.builder()
          .resource(id)
          .action(actionOf.get(id))
          .reactions(reactions.getOrDefault(id, List.of()))
          .diff(d)
          .wave(wave.get(id))
          .predecessors(preds)
          .successors(succs)
          .remainingPath(remaining.get(id))
          .build());
    }
    actions.sort(Comparator.comparingInt(PlannedAction::wave).thenComparing(PlannedAction::resource));
    List<PlanEdge> edges = new ArrayList<>();
    reasons.forEach((k, v) -> {
      if (!leftOut.containsKey(k.get(0)) && !leftOut.containsKey(k.get(1))) {
        edges.add(new PlanEdge(k.get(0), k.get(1), v));
      }
    });
    edges.sort(Comparator.comparing(PlanEdge::before).thenComparing(PlanEdge::after));
    return new Plan(actions, edges, mark, consumed, voided, revertOf, leftOut, allSuccessors);
  }

  /**
   * What a partial plan leaves out, with why: with {@code only}, everything that is neither selected
   * nor needed first by a selected action; with {@code exclude}, the excluded actions and everything
   * that waits for them.
   */
  private static SortedMap<ResourceId, String> select(Graph<ResourceId, DefaultEdge> graph,
      SortedMap<ResourceId, Diff> diffs, Selection selection) {
    TreeMap<ResourceId, String> leftOut = new TreeMap<>();
    if (selection.isAll()) {
      return leftOut;
    }
    java.util.Set<ResourceId> keep = new java.util.HashSet<>(diffs.keySet());
    if (!selection.only().isEmpty()) {
      java.util.Deque<ResourceId> queue = new java.util.ArrayDeque<>();
      java.util.Set<ResourceId> needed = new java.util.HashSet<>();
      for (Diff d : diffs.values()) {
        if (matches(d, selection.only())) {
          needed.add(d.resource());
          queue.add(d.resource());
        }
      }
      while (!queue.isEmpty()) {
        for (DefaultEdge e : graph.incomingEdgesOf(queue.poll())) {
          ResourceId p = graph.getEdgeSource(e);
          if (needed.add(p)) {
            queue.add(p);
          }
        }
      }
      for (ResourceId id : diffs.keySet()) {
        if (!needed.contains(id)) {
          leftOut.put(id, "not selected");
        }
      }
      keep = needed;
    }
    if (!selection.exclude().isEmpty()) {
      java.util.Deque<ResourceId> queue = new java.util.ArrayDeque<>();
      Map<ResourceId, ResourceId> cause = new HashMap<>();
      for (Diff d : diffs.values()) {
        if (keep.contains(d.resource()) && matches(d, selection.exclude())) {
          leftOut.put(d.resource(), "excluded");
          cause.put(d.resource(), d.resource());
          queue.add(d.resource());
        }
      }
      while (!queue.isEmpty()) {
        ResourceId cur = queue.poll();
        for (DefaultEdge e : graph.outgoingEdgesOf(cur)) {
          ResourceId s = graph.getEdgeTarget(e);
          if (keep.contains(s) && !cause.containsKey(s)) {
            cause.put(s, cause.get(cur));
            leftOut.put(s, "depends on " + cause.get(cur));
            queue.add(s);
          }
        }
      }
    }
    return leftOut;
  }

  private static boolean matches(Diff d, java.util.Set<Selector> selectors) {
    for (Selector s : selectors) {
      if (d.after().map(s::matches).orElse(false) || d.before().map(s::matches).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reactions: when an action (or a reaction) of a resource triggers an event, the event's target
   * gets the reaction, merged into its own action if it has one, or as a {@link Action#REACT} action
   * with an unchanged diff; the reaction runs after the action that triggered it. Reactions chain
   * (a reaction can trigger further events); a removed resource does not react.
   */
  private static Map<ResourceId, List<String>> react(StoreReader r, DesiredState desired,
      SortedMap<ResourceId, Diff> diffs, Map<ResourceId, Action> actionOf, Graph<ResourceId, DefaultEdge> graph,
      Map<List<ResourceId>, String> reasons) {
    Map<ResourceId, List<String>> reactions = new TreeMap<>();
    java.util.Deque<Map.Entry<ResourceId, String>> work = new java.util.ArrayDeque<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    actionOf.forEach((id, a) -> work.add(Map.entry(id, a.name())));
    while (!work.isEmpty()) {
      Map.Entry<ResourceId, String> cur = work.poll();
      for (Event e : desired.eventsFrom(cur.getKey())) {
        if (!e.isReaction() || !e.triggeredBy(cur.getValue())) {
          continue;
        }
        ResourceId t = e.target();
        String name = e.reaction().orElseThrow();
        Action own = actionOf.get(t);
        if (own == Action.REMOVE) {
          continue;
        }
        if (own == null) {
          Optional<Resource> applied = r.state().get(t);
          if (applied.isEmpty()) {
            continue;
          }
          diffs.put(t, Diff.builder().resource(t).before(applied).after(applied)
              .connectionsBefore(DesiredState.touchingApplied(r.state(), t))
              .connectionsAfter(DesiredState.touchingApplied(r.state(), t)).build());
          actionOf.put(t, Action.REACT);
          graph.addVertex(t);
        }
        List<String> names = reactions.computeIfAbsent(t, k -> new ArrayList<>());
        if (!names.contains(name)) {
          names.add(name);
        }
        if (!reaches(graph, t, cur.getKey())) {
          addEdge(graph, reasons, cur.getKey(), t, t + " reacts to " + cur.getKey() + " " + cur.getValue()
              + " with " + name);
        }
        if (seen.add(t + " " + name)) {
          work.add(Map.entry(t, name));
        }
      }
    }
    return reactions;
  }

  /** Ordering events: the target's action after the source's, when both run, update or react. */
  private static void events(DesiredState desired, SortedMap<ResourceId, Diff> diffs,
      Map<ResourceId, Action> actionOf, Graph<ResourceId, DefaultEdge> graph, Map<List<ResourceId>, String> reasons) {
    for (Map.Entry<ResourceId, Action> b : actionOf.entrySet()) {
      if (b.getValue() == Action.REMOVE) {
        continue;
      }
      Diff d = diffs.get(b.getKey());
      for (Event e : d.after().orElseThrow().events()) {
        Action a = actionOf.get(e.source());
        if (!e.isReaction() && a != null && a != Action.REMOVE && !reaches(graph, b.getKey(), e.source())) {
          addEdge(graph, reasons, e.source(), b.getKey(), b.getKey() + " depends on " + e.source());
        }
      }
    }
  }

  /** True if {@code to} can be reached from {@code from} along the graph's edges. */
  private static boolean reaches(Graph<ResourceId, DefaultEdge> graph, ResourceId from, ResourceId to) {
    java.util.Deque<ResourceId> queue = new java.util.ArrayDeque<>(List.of(from));
    java.util.Set<ResourceId> seen = new java.util.HashSet<>(List.of(from));
    while (!queue.isEmpty()) {
      ResourceId cur = queue.poll();
      if (cur.equals(to)) {
        return true;
      }
      for (DefaultEdge e : graph.outgoingEdgesOf(cur)) {
        ResourceId next = graph.getEdgeTarget(e);
        if (seen.add(next)) {
          queue.add(next);
        }
      }
    }
    return false;
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
