package io.stagehand.core.plan;

import com.google.common.base.Suppliers;
import io.stagehand.core.StalePlanException;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.json.PlanJson;
import io.stagehand.core.model.ResourceId;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A DAG of actions, at most one per resource, in execution order (by wave, then resource id), with
 * the reason for every edge. Renderable as text (like {@code terraform plan}), Mermaid and DOT.
 */
public final class Plan {
  private final List<PlannedAction> actions;
  private final Map<ResourceId, PlannedAction> byId;
  private final com.google.common.base.Supplier<List<PlanEdge>> edges;
  private final long stagedPosition;
  private final Map<ResourceId, Tag> revertOf;
  private final java.util.SortedMap<ResourceId, String> leftOut;
  private final java.util.Set<ResourceId> pending;
  /** Why each action runs a reaction an earlier apply left owed. */
  private final Map<ResourceId, List<String>> owed;
  private final Selection selection;
  private final String fingerprint;

  static {
    ApiAccess.register(new ApiAccess.Plans() {
      @Override
      public Plan plan(List<PlannedAction> actions, java.util.function.Supplier<List<PlanEdge>> edges,
          long stagedPosition, Map<ResourceId, Tag> revertOf, java.util.SortedMap<ResourceId, String> leftOut,
          java.util.Set<ResourceId> pending, Map<ResourceId, List<String>> owed, Selection selection,
          String fingerprint) {
        return new Plan(actions, edges, stagedPosition, revertOf, leftOut, pending, owed, selection, fingerprint);
      }

      @Override
      public PlanEdge edge(ResourceId before, ResourceId after, java.util.function.Supplier<String> reason) {
        return PlanEdge.worded(before, after, reason);
      }
    });
  }

  /** The plan; it takes ownership of the collections it is given (the planner's own, not copied). */
  private Plan(List<PlannedAction> actions, java.util.function.Supplier<List<PlanEdge>> edges, long stagedPosition,
      Map<ResourceId, Tag> revertOf, java.util.SortedMap<ResourceId, String> leftOut, java.util.Set<ResourceId> pending,
      Map<ResourceId, List<String>> owed, Selection selection, String fingerprint) {
    this.pending = pending;
    this.selection = selection;
    this.fingerprint = fingerprint;
    this.owed = Collections.unmodifiableMap(owed);
    this.revertOf = Collections.unmodifiableMap(revertOf);
    this.leftOut = Collections.unmodifiableSortedMap(leftOut);
    this.actions = Collections.unmodifiableList(actions);
    this.edges = Suppliers.memoize(() -> Collections.unmodifiableList(edges.get()));
    this.stagedPosition = stagedPosition;
    Map<ResourceId, PlannedAction> map = new HashMap<>(actions.size() * 4 / 3 + 1);
    actions.forEach(a -> map.put(a.resource(), a));
    this.byId = map;
  }

  /** The actions in execution order: by wave, then by resource id. */
  public List<PlannedAction> actions() {
    return actions;
  }

  public Optional<PlannedAction> action(ResourceId id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Every ordering edge between two actions with its reason, sorted by before, then after. */
  public List<PlanEdge> edges() {
    return edges.get();
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }

  public int size() {
    return actions.size();
  }

  /** The staged-log position the plan was made from; an apply consumes entries up to it. */
  public long stagedPosition() {
    return stagedPosition;
  }

  /** True if {@code id} was marked pending (left to run by an earlier apply) when the plan was made. */
  public boolean wasPending(ResourceId id) {
    return pending.contains(id);
  }

  /** The selection the plan was made with. */
  public Selection selection() {
    return selection;
  }

  /**
   * A hash of what the plan was made on: the staged entries, the pending marks and reactions owed,
   * the number of commits (every change of the applied state is a commit), and the selection. An
   * apply of this plan refuses with {@link StalePlanException} when the store's differs.
   */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * The plan as JSON, to save it and apply it later, as {@code terraform plan -out} does (format in
   * {@code docs/formats.md}). It holds ids, actions, order and reasons, and no input value.
   */
  public String toJson() {
    return PlanJson.write(this);
  }

  /** A plan saved with {@link #toJson()}; it renders as the original and can be applied. */
  public static Plan fromJson(String json) {
    return PlanJson.read(json);
  }

  /** Why {@code id}'s action runs reactions an earlier apply left owed (empty when it runs none). */
  public List<String> owedReasons(ResourceId id) {
    return owed.getOrDefault(id, List.of());
  }

  /**
   * The staged changes a partial plan leaves out, each with why ({@code not selected},
   * {@code excluded}, {@code depends on db}); empty for a plan of everything.
   */
  public java.util.SortedMap<ResourceId, String> leftOut() {
    return leftOut;
  }

  /** The apply an action undoes, when its staged entries came from a rollback. */
  public Optional<Tag> revertOf(ResourceId id) {
    return Optional.ofNullable(revertOf.get(id));
  }

  /**
   * The plan in the scenario format: one line per action, {@code [<wave>] <ACTION> <id>} and
   * {@code after <id>, ...} for its direct predecessors; {@code nothing to do} when empty.
   */
  public String render() {
    StringBuilder b = new StringBuilder();
    if (actions.isEmpty()) {
      b.append("nothing to do\n");
    }
    for (PlannedAction a : actions) {
      b.append(line(a)).append('\n');
    }
    leftOut(b);
    return b.toString().stripTrailing();
  }

  /**
   * The whole plan for a person to review: every action as {@link #render()} prints it, under it the
   * input changes (sensitive values as {@code (sensitive)}), the connections added ({@code +}) and
   * dropped ({@code -}), and the location, label and event changes; then what was left out and why.
   */
  public String renderDetailed() {
    StringBuilder b = new StringBuilder();
    if (actions.isEmpty()) {
      b.append("nothing to do\n");
    }
    for (PlannedAction a : actions) {
      b.append(line(a)).append('\n');
      a.diff().changes().forEach(c -> b.append("    ").append(a.diff().render(c)).append('\n'));
      a.diff().connectionChanges().forEach(c -> b.append("    ")
          .append(a.diff().after().map(r -> r.incoming().contains(c)).orElse(false) ? "+ " : "- ")
          .append(c).append('\n'));
      a.diff().otherChanges().forEach(c -> b.append("    ").append(c).append('\n'));
    }
    leftOut(b);
    return b.toString().stripTrailing();
  }

  /** One action's line: the action, and why it reacts, if it does. */
  private String line(PlannedAction a) {
    if (a.reactions().isEmpty()) {
      return a.toString();
    }
    List<String> why = new java.util.ArrayList<>(edges().stream()
        .filter(e -> e.after().equals(a.resource()) && e.reason().contains(" reacts to "))
        .map(e -> e.reason().substring(e.reason().indexOf(" reacts to ") + 1))
        .toList());
    for (String reason : owed.getOrDefault(a.resource(), List.of())) {
      if (!why.contains(reason)) {
        why.add(reason);
      }
    }
    return a + " (" + String.join("; ", why) + ")";
  }

  private void leftOut(StringBuilder b) {
    leftOut.forEach((id, why) -> b.append("left out: ").append(id).append(" (").append(why).append(")\n"));
  }

  /** The plan as a Mermaid flowchart. */
  public String toMermaid() {
    StringBuilder b = new StringBuilder("flowchart TD\n");
    Map<ResourceId, String> node = new LinkedHashMap<>();
    for (PlannedAction a : actions) {
      String n = "a" + node.size();
      node.put(a.resource(), n);
      b.append("  ").append(n).append("[\"").append(a.action()).append(' ').append(a.resource()).append("\"]\n");
    }
    for (PlanEdge e : edges()) {
      b.append("  ").append(node.get(e.before())).append(" -->|").append(e.reason().replace("|", "/"))
          .append("| ").append(node.get(e.after())).append('\n');
    }
    return b.toString();
  }

  /** The plan as a Graphviz DOT digraph. */
  public String toDot() {
    StringBuilder b = new StringBuilder("digraph plan {\n  rankdir=LR;\n");
    for (PlannedAction a : actions) {
      b.append("  \"").append(a.resource()).append("\" [label=\"").append(a.action()).append(' ')
          .append(a.resource()).append("\"];\n");
    }
    for (PlanEdge e : edges()) {
      b.append("  \"").append(e.before()).append("\" -> \"").append(e.after()).append("\" [label=\"")
          .append(e.reason().replace("\"", "'")).append("\"];\n");
    }
    return b.append("}\n").toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
