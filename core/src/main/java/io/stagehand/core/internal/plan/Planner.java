package io.stagehand.core.internal.plan;

import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.stage.DesiredState;
import io.stagehand.core.internal.stage.Numbering;
import io.stagehand.core.internal.stage.StagedDiffs;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.plan.Selector;
import io.stagehand.core.spi.PendingReaction;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.StoreReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Turns the staged diffs into a {@link Plan}: one action per resource on its net diff, ordered by
 * DESIGN.md's two rules. Only the affected resources are visited, so the cost follows the change.
 */
public final class Planner {
  private static final ApiAccess.Plans PLANS = ApiAccess.plans();

  private Planner() {}

  /** The work order from {@code desired}, which must be what replaying {@code r}'s staged log gives. */
  public static WorkOrder plan(StoreReader r, Selection selection, DesiredState desired) {
    long mark = r.staged().position();
    List<StagedEntry> entries = r.staged().entries();
    // the desired state numbered the resources at staging; the plan numbers the reaction targets after them
    Numbering nums = desired.numbering().extend();
    Actions acts = new Actions(nums, desired.diffsByNumber());

    WorkOrder.Consumed consumed = new WorkOrder.Consumed(nums);
    Map<ResourceId, Tag> revertOf = new HashMap<>();
    Map<ResourceId, Long> lastRemoval = new HashMap<>();
    for (StagedEntry e : entries) {
      consumed.add(e.owner(), e.sequence());
      e.revertOf().ifPresent(t -> revertOf.putIfAbsent(e.owner(), t));
      if (e.edit() instanceof Edit.Remove) {
        lastRemoval.put(e.owner(), e.sequence());
      }
    }
    // a connection or event staged from a resource that a later staged edit removes was undone by
    // that removal; it must go with the removal's commit, not outlive it in the staged log
    Map<ResourceId, List<Long>> voided = new HashMap<>();
    for (StagedEntry e : lastRemoval.isEmpty() ? List.<StagedEntry>of() : entries) {
      ResourceId from = e.edit() instanceof Edit.Connect c ? c.connection().emitter().resource()
          : e.edit() instanceof Edit.AddEvent ev ? ev.event().source() : null;
      Long removal = from == null ? null : lastRemoval.get(from);
      if (removal != null && removal > e.sequence()) {
        voided.computeIfAbsent(from, k -> new ArrayList<>()).add(e.sequence());
      }
    }

    revertsPropagate(r, desired, acts, consumed, revertOf);

    OrderGraph graph = new OrderGraph(nums);
    int[] sorted = acts.sorted();
    for (int v : sorted) {
      graph.add(v);
    }
    for (int v : sorted) {
      Diff d = acts.diff(v);
      Action action = acts.action(v);
      if (action.creates() || action == Action.UPDATE || action == Action.REPLACE || action == Action.ADOPT) {
        // rule 1: desired connection A -> B, both run or update: A before B
        for (Connection c : d.after().orElseThrow().incoming()) {
          int a = nums.number(c.emitter().resource());
          Action emitter = acts.action(a);
          if (emitter != null && !emitter.removes()) {
            graph.addEdge(a, v, () -> d.resource() + " takes " + c.emitter());
          }
        }
      } else {
        // rule 2: applied connection A -> B, A removed, B updated or removed: B before A
        for (Connection c : r.state().outgoing(d.resource())) {
          ResourceId b = c.receiver().resource();
          int bn = nums.number(b);
          Action receiver = acts.action(bn);
          if (receiver != null && !receiver.creates()) {
            graph.addEdge(bn, v, () -> b + " lets go of " + c.emitter() + " first");
          }
        }
      }
    }

    placement(acts, sorted, graph);
    Map<ResourceId, List<PendingReaction>> triggered = new HashMap<>();
    Map<ResourceId, List<String>> owed = new HashMap<>();
    // read once: the plan seeds the owed reactions and its fingerprint covers them
    List<PendingReaction> owedNow = r.staged().pendingReactions();
    Map<ResourceId, List<String>> reactions = react(r, desired, acts, sorted, graph, owedNow, triggered, owed);
    // the reactions may have added actions: sorted again
    sorted = acts.sorted();
    events(acts, sorted, graph);

    SortedMap<ResourceId, String> leftOut = select(graph, acts, sorted, selection);
    // the successors left out of a partial plan still get a pending mark when their emitter commits
    Map<ResourceId, java.util.Set<ResourceId>> allSuccessors = new HashMap<>();
    if (!leftOut.isEmpty()) {
      for (int v : sorted) {
        allSuccessors.put(nums.id(v), graph.successors(v));
      }
    }
    graph.remove(leftOut.keySet());
    graph.order();

    List<PlannedAction> actions = new ArrayList<>(sorted.length);
    for (int v : sorted) {
      ResourceId id = nums.id(v);
      if (leftOut.containsKey(id)) {
        continue;
      }
      actions.add(PlannedAction.builder()
          .resource(id)
          .action(acts.action(v))
          .reactions(reactions.getOrDefault(id, List.of()))
          .diff(acts.diff(v))
          .wave(graph.wave(v))
          .predecessors(graph.livePredecessors(v))
          .successors(graph.liveSuccessors(v))
          .remainingPath(graph.remainingPath(v))
          .build());
    }
    // already in id order: a stable sort by wave keeps it within each wave
    actions.sort(Comparator.comparingInt(PlannedAction::wave));
    Plan plan = PLANS.plan(actions, graph::liveEdges, mark, revertOf, leftOut, desired.pending(), owed, selection,
        fingerprint(r, entries, desired.pending(), owedNow, selection));
    return new WorkOrder(plan, consumed, voided, allSuccessors, triggered);
  }

  /**
   * The planner's actions by resource number: each affected resource's diff and action, and the
   * REACT actions reactions add. Numbers past the arrays, or -1, have none.
   */
  private static final class Actions {
    private final Numbering nums;
    private Diff[] diffs;
    private Action[] actions;

    Actions(Numbering nums, Diff[] diffs) {
      this.nums = nums;
      this.diffs = diffs;
      this.actions = new Action[diffs.length];
      for (int v = 0; v < diffs.length; v++) {
        if (diffs[v] != null) {
          actions[v] = diffs[v].action().orElseThrow();
        }
      }
    }

    /** The action of the resource numbered {@code v}, or null if it has none. */
    Action action(int v) {
      return v >= 0 && v < actions.length ? actions[v] : null;
    }

    /** True if {@code v} has an action that brings it into the state (RUN, IMPORT). */
    boolean creates(int v) {
      Action a = action(v);
      return a != null && a.creates();
    }

    /** True if {@code v} has an action that takes it out of the state (REMOVE, FORGET). */
    boolean removes(int v) {
      Action a = action(v);
      return a != null && a.removes();
    }

    Diff diff(int v) {
      return diffs[v];
    }

    /** Gives the resource numbered {@code v} an action. */
    void put(int v, Action action, Diff diff) {
      if (v >= actions.length) {
        int n = Math.max(v + 1, actions.length * 2);
        actions = java.util.Arrays.copyOf(actions, n);
        diffs = java.util.Arrays.copyOf(diffs, n);
      }
      actions[v] = action;
      diffs[v] = diff;
    }

    /** The numbers of the resources with an action, in id order. */
    int[] sorted() {
      int count = 0;
      for (Action a : actions) {
        if (a != null) {
          count++;
        }
      }
      Integer[] boxed = new Integer[count];
      int i = 0;
      for (int v = 0; v < actions.length; v++) {
        if (actions[v] != null) {
          boxed[i++] = v;
        }
      }
      java.util.Arrays.sort(boxed, (x, y) -> nums.id(x).compareTo(nums.id(y)));
      int[] out = new int[count];
      for (i = 0; i < count; i++) {
        out[i] = boxed[i];
      }
      return out;
    }
  }

  /** {@link Plan#fingerprint()}: a SHA-256 of the staged entries, marks, owed reactions, commit count, selection. */
  public static String fingerprint(StoreReader r, List<StagedEntry> entries, java.util.Set<ResourceId> pending,
      List<PendingReaction> owed, Selection selection) {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    // the staged sequences go in as 8 bytes each, a buffer at a time: a first deployment has
    // millions, and spelling them out made a string of several megabytes
    java.nio.ByteBuffer seqs = java.nio.ByteBuffer.allocate(8 * 1024);
    for (StagedEntry e : entries) {
      if (!seqs.hasRemaining()) {
        md.update(seqs.flip());
        seqs.clear();
      }
      seqs.putLong(e.sequence());
    }
    md.update(seqs.flip());
    StringBuilder b = new StringBuilder("\ncommits ").append(r.commits().size());
    b.append("\npending ").append(new java.util.TreeSet<>(pending));
    b.append("\nowed ");
    owed.forEach(p -> b.append(p.target()).append(' ').append(p.reaction()).append(';'));
    b.append("\nselection ").append(selection);
    byte[] hash = md.digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(hash, 0, 16);
  }

  /**
   * A change that only flows from a reverting resource through connections undoes that apply too:
   * each resource downstream of a reverting one, with an action but no staged entry of its own, gets
   * the same {@code revertOf}, so its commit records {@code (revert of <tag>)}.
   */
  private static void revertsPropagate(StoreReader r, DesiredState desired, Actions acts,
      WorkOrder.Consumed consumed, Map<ResourceId, Tag> revertOf) {
    if (revertOf.isEmpty()) {
      return;
    }
    java.util.Deque<ResourceId> queue = new java.util.ArrayDeque<>();
    revertOf.keySet().stream().filter(id -> acts.action(acts.nums.number(id)) != null).sorted().forEach(queue::add);
    while (!queue.isEmpty()) {
      ResourceId cur = queue.poll();
      Tag tag = revertOf.get(cur);
      List<Connection> out = new ArrayList<>(desired.outgoing(cur));
      out.addAll(r.state().outgoing(cur));
      for (Connection c : out) {
        ResourceId next = c.receiver().resource();
        if (acts.action(acts.nums.number(next)) != null && !consumed.has(next) && !revertOf.containsKey(next)) {
          revertOf.put(next, tag);
          queue.add(next);
        }
      }
    }
  }

  /**
   * What a partial plan leaves out, with why: with {@code only}, everything that is neither selected
   * nor needed first by a selected action; with {@code exclude}, the excluded actions and everything
   * that waits for them.
   */
  private static SortedMap<ResourceId, String> select(OrderGraph graph, Actions acts, int[] sorted,
      Selection selection) {
    TreeMap<ResourceId, String> leftOut = new TreeMap<>();
    if (selection.isAll()) {
      return leftOut;
    }
    Numbering nums = acts.nums;
    java.util.Set<ResourceId> keep = new java.util.HashSet<>();
    for (int v : sorted) {
      keep.add(nums.id(v));
    }
    if (!selection.only().isEmpty()) {
      java.util.Deque<ResourceId> queue = new java.util.ArrayDeque<>();
      java.util.Set<ResourceId> needed = new java.util.HashSet<>();
      for (int v : sorted) {
        if (matches(acts.diff(v), selection.only())) {
          needed.add(nums.id(v));
          queue.add(nums.id(v));
        }
      }
      while (!queue.isEmpty()) {
        for (ResourceId p : graph.livePredecessors(queue.poll())) {
          if (needed.add(p)) {
            queue.add(p);
          }
        }
      }
      for (int v : sorted) {
        if (!needed.contains(nums.id(v))) {
          leftOut.put(nums.id(v), "not selected");
        }
      }
      keep = needed;
    }
    if (!selection.exclude().isEmpty()) {
      java.util.Deque<ResourceId> queue = new java.util.ArrayDeque<>();
      Map<ResourceId, ResourceId> cause = new HashMap<>();
      for (int v : sorted) {
        Diff d = acts.diff(v);
        if (keep.contains(d.resource()) && matches(d, selection.exclude())) {
          leftOut.put(d.resource(), "excluded");
          cause.put(d.resource(), d.resource());
          queue.add(d.resource());
        }
      }
      while (!queue.isEmpty()) {
        ResourceId cur = queue.poll();
        for (ResourceId s : graph.successors(cur)) {
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
   * (a reaction can trigger further events); a removed resource does not react, but its removal
   * triggers the events it had.
   */
  private static Map<ResourceId, List<String>> react(StoreReader r, DesiredState desired, Actions acts,
      int[] sorted, OrderGraph graph, List<PendingReaction> owedNow,
      Map<ResourceId, List<PendingReaction>> triggered, Map<ResourceId, List<String>> owed) {
    Map<ResourceId, List<String>> reactions = new TreeMap<>();
    java.util.Deque<Map.Entry<ResourceId, String>> work = new java.util.ArrayDeque<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int v : sorted) {
      work.add(Map.entry(acts.nums.id(v), acts.action(v).name()));
    }
    // reactions an earlier apply triggered and did not run: planned again with their reason, and
    // they trigger further events as a reaction does
    for (PendingReaction p : owedNow) {
      if (react(r, acts, graph, reactions, desired.pending(), p.target(), p.reaction())) {
        owed.computeIfAbsent(p.target(), k -> new ArrayList<>()).add(p.reason());
        if (seen.add(p.target() + " " + p.reaction())) {
          work.add(Map.entry(p.target(), p.reaction()));
        }
      }
    }
    while (!work.isEmpty()) {
      Map.Entry<ResourceId, String> cur = work.poll();
      int from = acts.nums.number(cur.getKey());
      // a removed resource's events are gone from the desired state: take them as the plan saw them,
      // in the applied state, as its connections are, so that reactions to its removal fire
      SortedSet<Event> events = acts.removes(from)
          ? r.state().eventsFrom(cur.getKey()) : desired.eventsFrom(cur.getKey());
      for (Event e : events) {
        if (!e.isReaction() || !e.triggeredBy(cur.getValue())) {
          continue;
        }
        ResourceId t = e.target();
        String name = e.reaction().orElseThrow();
        if (!react(r, acts, graph, reactions, desired.pending(), t, name)) {
          continue;
        }
        String reason = "reacts to " + cur.getKey() + " " + cur.getValue() + " with " + name;
        triggered.computeIfAbsent(cur.getKey(), k -> new ArrayList<>()).add(new PendingReaction(t, name, reason));
        int tn = acts.nums.number(t);
        if (!graph.reaches(tn, from)) {
          graph.addEdge(from, tn, () -> t + " " + reason);
        }
        if (seen.add(t + " " + name)) {
          work.add(Map.entry(t, name));
        }
      }
    }
    return reactions;
  }

  /**
   * Gives {@code t} the reaction {@code name}, merged into its own action or as a REACT action;
   * false if it cannot react (it is removed, or exists nowhere).
   */
  private static boolean react(StoreReader r, Actions acts, OrderGraph graph, Map<ResourceId, List<String>> reactions,
      java.util.Set<ResourceId> pending, ResourceId t, String name) {
    Action own = acts.action(acts.nums.number(t));
    if (own != null && own.removes()) {
      return false;
    }
    if (own == null) {
      Optional<Resource> applied = r.state().get(t);
      if (applied.isEmpty()) {
        return false;
      }
      int v = acts.nums.add(t);
      acts.put(v, Action.REACT, StagedDiffs.unchanged(r.state(), applied.get(), pending.contains(t)));
      graph.add(v);
    }
    List<String> names = reactions.computeIfAbsent(t, k -> new ArrayList<>());
    if (!names.contains(name)) {
      names.add(name);
    }
    return true;
  }

  /**
   * A location is a dependency: a resident runs after its location's RUN, and is removed, or moved
   * away, before its location's REMOVE. The data rules come first: where a connection already orders
   * the two the other way, the placement edge is left out rather than close a cycle.
   */
  private static void placement(Actions acts, int[] sorted, OrderGraph graph) {
    for (int v : sorted) {
      Diff d = acts.diff(v);
      ResourceId resident = d.resource();
      Action action = acts.action(v);
      Optional<ResourceId> at = d.after().flatMap(Resource::location);
      if (at.isPresent() && !action.removes()) {
        int l = acts.nums.number(at.get());
        if (acts.creates(l) && !graph.reaches(v, l)) {
          graph.addEdge(l, v, () -> resident + " runs on " + at.get());
        }
      }
      Optional<ResourceId> was = d.before().flatMap(Resource::location);
      if (was.isPresent() && !was.equals(at)) {
        int l = acts.nums.number(was.get());
        if (acts.removes(l) && !graph.reaches(l, v)) {
          graph.addEdge(v, l, () -> resident + " leaves " + was.get() + " first");
        }
      }
    }
  }

  /** Ordering events: the target's action after the source's, when both run, update or react. */
  private static void events(Actions acts, int[] sorted, OrderGraph graph) {
    for (int b : sorted) {
      if (acts.removes(b)) {
        continue;
      }
      ResourceId target = acts.nums.id(b);
      for (Event e : acts.diff(b).after().orElseThrow().events()) {
        int a = acts.nums.number(e.source());
        Action source = acts.action(a);
        if (!e.isReaction() && source != null && !source.removes() && !graph.reaches(b, a)) {
          graph.addEdge(a, b, () -> target + " depends on " + e.source());
        }
      }
    }
  }
}
