package io.stagehand.core.internal.apply;

import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.history.Commit;
import io.stagehand.core.internal.Redaction;
import io.stagehand.core.internal.apply.ApplyEvents.Committed;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.model.ResourceId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups the actions whose handlers succeeded and has their commits written one group at a time, on
 * one committer thread: every action whose handler returns while a group is written joins the next
 * group, one unit of work. A durable commit costs about the same for one action as for a hundred, so
 * this is what lets an apply keep up with its handlers.
 */
final class CommitGroups {
  // the Applier's logger, as before the engine was split: log configurations name it
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  /** Writes a group's commits in one unit of work, the first at {@code index} (a {@link CommitWriter}). */
  @FunctionalInterface
  interface Writer {
    Map<ResourceId, Commit> write(List<CommitWriter.Item> group, int index, Instant now);
  }

  private final ExecutorService committer;
  private final Writer writer;
  private final WorkOrder order;
  private final TaskGraph tasks;
  private final ApplyEvents events;
  private final SafeListeners listeners;
  private final Clock clock;
  /** Handlers returned successfully, commit not yet written; at most one group is being written. */
  private List<ActionTask> waiting = new ArrayList<>();
  private boolean writing;
  /** The index of the next commit of the apply. */
  private int index;

  CommitGroups(ExecutorService committer, Writer writer, WorkOrder order, TaskGraph tasks, ApplyEvents events,
      SafeListeners listeners, Clock clock) {
    this.committer = committer;
    this.writer = writer;
    this.order = order;
    this.tasks = tasks;
    this.events = events;
    this.listeners = listeners;
    this.clock = clock;
  }

  /** {@code t}'s handler succeeded: it joins the next group. */
  void add(ActionTask t) {
    waiting.add(t);
  }

  /** Whether a group is being written; its {@link Committed} event has not been handled yet. */
  boolean isWriting() {
    return writing;
  }

  /** Hands the waiting actions to the committer as one group, unless a group is being written. */
  void writeNext() {
    if (writing || waiting.isEmpty()) {
      return;
    }
    List<ActionTask> group = waiting;
    waiting = new ArrayList<>();
    writing = true;
    // read here, on the scheduling thread, which owns the tasks' outcomes
    List<List<ResourceId>> stillToRun = new ArrayList<>();
    for (ActionTask t : group) {
      stillToRun.add(tasks.stillToRun(t, order));
    }
    List<CommitWriter.Item> items = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      items.add(new CommitWriter.Item(group.get(i).planned, group.get(i).marked, stillToRun.get(i)));
    }
    int first = index;
    committer.execute(() -> {
      Instant now = clock.instant();
      try {
        events.add(new Committed(group, writer.write(items, first, now), null, now));
      } catch (Throwable e) {
        // whatever went wrong, the scheduling thread must hear of it, or it would wait for ever
        events.add(new Committed(group, Map.of(), e, now));
      }
    });
  }

  /** Records a group's outcome and tells the listeners; returns false if its unit of work failed. */
  boolean landed(Committed c) {
    writing = false;
    if (c.error() != null) {
      LOG.error("could not write the commits of {}", c.group().stream().map(ActionTask::resource).toList(), c.error());
      for (ActionTask t : c.group()) {
        t.end(ActionOutcome.FAILED, "the handler succeeded but the commit could not be written: "
            + Redaction.scrub(ApplyScheduler.describe(c.error()), t.planned.diff()), c.time());
        listeners.each(l -> l.actionFailed(t.planned, t.result()));
      }
      return false;
    }
    index += c.group().size();
    for (ActionTask t : c.group()) {
      Commit commit = c.written().get(t.resource());
      t.commit = commit.position();
      t.end(ActionOutcome.SUCCEEDED, null, c.time());
      ActionResult result = t.result();
      listeners.each(l -> l.actionSucceeded(t.planned, result, commit));
    }
    return true;
  }

  /**
   * Lets a group being written (only when something escaped the loop) land or fail before the lease is
   * released, whatever happens: otherwise the next apply could start under it.
   */
  void close() {
    committer.shutdown();
    while (true) {
      try {
        if (committer.awaitTermination(1, TimeUnit.MINUTES)) {
          return;
        }
        LOG.warn("still waiting for a group of commits to be written before the apply lease is released");
      } catch (InterruptedException e) {
        events.interrupted(); // run() restores the flag once the lease is released
      }
    }
  }
}
