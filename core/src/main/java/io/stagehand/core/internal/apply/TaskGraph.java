package io.stagehand.core.internal.apply;

import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * The tasks of one apply, by resource, and what one's outcome does to the others: a failure skips
 * everything after it, a commit readies the successors that waited only for it, and joining a commit
 * group marks pending the successors still to run. Touched only under the scheduler's lock (or by the
 * apply thread once nothing else runs); listeners hear of outcomes through {@link SafeListeners#later}.
 */
final class TaskGraph {
  private final Map<ResourceId, ActionTask> tasks = new LinkedHashMap<>();
  private final Tag tag;
  private final SafeListeners listeners;
  private final Clock clock;

  /** A task for every action of {@code plan}, in plan order. */
  TaskGraph(Plan plan, Tag tag, BooleanSupplier cancelled, SafeListeners listeners, Clock clock) {
    this.tag = tag;
    this.listeners = listeners;
    this.clock = clock;
    for (PlannedAction a : plan.actions()) {
      ActionTask t = new ActionTask(a, tag, cancelled);
      t.marked = plan.wasPending(a.resource());
      tasks.put(a.resource(), t);
    }
  }

  /** The tag of the apply the tasks belong to. */
  Tag tag() {
    return tag;
  }

  ActionTask get(ResourceId id) {
    return tasks.get(id);
  }

  Collection<ActionTask> all() {
    return tasks.values();
  }

  /** The tasks that wait for nothing. */
  List<ActionTask> roots() {
    return tasks.values().stream().filter(t -> t.waitingFor == 0).toList();
  }

  /** Marks {@code t} failed and skips everything that depends on it. */
  void fail(ActionTask t, String error) {
    t.end(ActionOutcome.FAILED, error, clock.instant());
    listeners.laterResult(t, (l, r) -> l.actionFailed(t.planned, r));
    Deque<ResourceId> queue = new ArrayDeque<>(t.planned.successors());
    Set<ResourceId> seen = new TreeSet<>();
    while (!queue.isEmpty()) {
      ResourceId id = queue.poll();
      if (!seen.add(id)) {
        continue;
      }
      ActionTask s = tasks.get(id);
      if (s.outcome == null) {
        s.outcome = ActionOutcome.SKIPPED;
        s.error = "skipped: " + t.resource() + " failed";
        listeners.laterResult(s, (l, r) -> l.actionSkipped(s.planned, r));
      }
      queue.addAll(s.planned.successors());
    }
  }

  /** A retry fell due after the apply stopped: {@code t} fails, its successors are left to the stop. */
  void notRetried(ActionTask t) {
    t.end(ActionOutcome.FAILED, "not retried: the apply stopped", clock.instant());
    listeners.laterResult(t, (l, r) -> l.actionFailed(t.planned, r));
  }

  /**
   * The successors {@code t}'s commit marks pending: those still to run, or left out of a partial
   * apply. Each one here will clear its own mark when it commits, after {@code t}.
   */
  List<ResourceId> stillToRun(ActionTask t, WorkOrder order) {
    List<ResourceId> stillToRun = new ArrayList<>();
    for (ResourceId s : order.allSuccessors(t.resource())) {
      ActionTask next = tasks.get(s);
      if (next != null && next.planned.action().creates()) {
        // a new resource needs no mark: its staged creation plans it again whatever happens here
        continue;
      }
      if (next == null || next.outcome == null) {
        stillToRun.add(s);
        if (next != null) {
          next.marked = true;
        }
      }
    }
    return stillToRun;
  }

  /** The successors of {@code t} resolve their inputs again when they start: {@code t} commits other than planned. */
  void resolveAgainAfter(ActionTask t) {
    for (ResourceId s : t.planned.successors()) {
      tasks.get(s).resolveAgain = true;
    }
  }

  /** The tasks {@code group}'s commits were the last to wait for, now ready. */
  List<ActionTask> readyAfter(List<ActionTask> group) {
    List<ActionTask> ready = new ArrayList<>();
    for (ActionTask t : group) {
      for (ResourceId s : t.planned.successors()) {
        ActionTask next = tasks.get(s);
        if (--next.waitingFor == 0 && next.outcome == null) {
          ready.add(next);
        }
      }
    }
    return ready;
  }

  /** Every task without an outcome when the apply ends is cancelled, for {@code reason}. */
  void cancelRest(String reason) {
    for (ActionTask t : tasks.values()) {
      if (t.outcome == null) {
        t.outcome = ActionOutcome.CANCELLED;
        t.error = reason;
        listeners.laterResult(t, (l, r) -> l.actionSkipped(t.planned, r));
      }
    }
  }

  boolean allSucceeded() {
    return tasks.values().stream().allMatch(t -> t.outcome == ActionOutcome.SUCCEEDED);
  }

  List<ActionResult> results() {
    List<ActionResult> results = new ArrayList<>();
    tasks.values().forEach(t -> results.add(t.result()));
    return results;
  }
}
