package io.stagehand.core.internal.apply;

import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.history.Commit;
import io.stagehand.core.internal.Redaction;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.ResourceId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups the actions whose handlers succeeded and has their commits written one group at a time, on
 * one committer thread: every action whose handler returns while a group is written joins the next
 * group, one unit of work. A durable commit costs about the same for one action as for a hundred, so
 * this is what lets an apply keep up with its handlers.
 *
 * <p>Everything here but the writing itself happens under the scheduler's lock. The committer thread
 * goes straight on to the next group while there is one, rather than handing back to another thread.
 */
final class CommitGroups {
  // the Applier's logger, as before the engine was split: log configurations name it
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  /** Writes a group's commits in one unit of work, the first at {@code index} (a {@link CommitWriter}). */
  @FunctionalInterface
  interface Writer {
    Map<ResourceId, Commit> write(List<CommitWriter.Item> group, int index, Instant now);
  }

  /** What the scheduler does once a group landed, under its lock; {@code written} is false if it failed. */
  @FunctionalInterface
  interface Landing {
    void landed(List<ActionTask> group, boolean written);
  }

  /** A group's unit of work ended: {@code written} holds its commits, or {@code error} why it failed. */
  private record Committed(List<ActionTask> group, Map<ResourceId, Commit> written, Throwable error, Instant time) {}

  /** A group handed to the committer, with the index of its first commit. */
  private record Group(List<ActionTask> tasks, List<CommitWriter.Item> items, int first) {}

  private final Object lock;
  private final ExecutorService committer;
  private final Writer writer;
  private final WorkOrder order;
  private final TaskGraph tasks;
  private final SafeListeners listeners;
  private final Clock clock;
  private final Landing landing;
  /** Told if the bookkeeping after a write throws, so that the apply does not wait for ever. */
  private final Consumer<Throwable> broke;
  /** Handlers returned successfully, commit not yet written; at most one group is being written. */
  private List<ActionTask> waiting = new ArrayList<>();
  private boolean writing;
  /** The index of the next commit of the apply. */
  private int index;

  CommitGroups(Object lock, ExecutorService committer, Writer writer, WorkOrder order, TaskGraph tasks,
      SafeListeners listeners, Clock clock, Landing landing, Consumer<Throwable> broke) {
    this.lock = lock;
    this.committer = committer;
    this.writer = writer;
    this.order = order;
    this.tasks = tasks;
    this.listeners = listeners;
    this.clock = clock;
    this.landing = landing;
    this.broke = broke;
  }

  /** {@code t}'s handler succeeded: it joins the next group, which is written at once if none is. */
  void add(ActionTask t) {
    waiting.add(t);
    if (!writing) {
      Group g = nextGroup();
      committer.execute(() -> {
        try {
          writeFrom(g);
        } catch (Throwable e) {
          broke.accept(e);
        }
      });
    }
  }

  /** Whether a group is being written, or its outcome not handled yet. */
  boolean isWriting() {
    return writing;
  }

  /** The waiting actions as one group, or null (and no longer writing) if none waits. */
  private Group nextGroup() {
    if (waiting.isEmpty()) {
      writing = false;
      return null;
    }
    writing = true;
    List<ActionTask> group = waiting;
    waiting = new ArrayList<>();
    List<CommitWriter.Item> items = new ArrayList<>(group.size());
    for (ActionTask t : group) {
      // read under the lock, which guards the tasks' outcomes
      Diff committed = t.committed();
      items.add(new CommitWriter.Item(t.planned, committed, t.marked, tasks.stillToRun(t, order)));
      if (committed != t.planned.diff()) {
        // it commits other than planned (inputs resolved again, outputs put): what follows resolves again
        tasks.resolveAgainAfter(t);
      }
    }
    // one group at a time: the one before has landed, and moved the index on if it was written
    return new Group(group, items, index);
  }

  /** On the committer thread: writes {@code g}, then each group that gathered meanwhile. */
  private void writeFrom(Group g) {
    while (g != null) {
      Instant now = clock.instant();
      Committed c;
      try {
        c = new Committed(g.tasks(), writer.write(g.items(), g.first(), now), null, now);
      } catch (Throwable e) {
        // whatever went wrong, the scheduler must hear of it, or the apply would wait for ever
        c = new Committed(g.tasks(), Map.of(), e, now);
      }
      synchronized (lock) {
        boolean written = landed(c);
        g = nextGroup();
        landing.landed(c.group(), written);
      }
    }
  }

  /** Records a group's outcome and tells the listeners; returns false if its unit of work failed. */
  private boolean landed(Committed c) {
    if (c.error() != null) {
      LOG.error("could not write the commits of {}", c.group().stream().map(ActionTask::resource).toList(), c.error());
      for (ActionTask t : c.group()) {
        t.end(ActionOutcome.FAILED, "the handler succeeded but the commit could not be written: "
            + Redaction.scrub(ActionTask.describe(c.error()), t.committed()), c.time());
        listeners.laterResult(t, (l, r) -> l.actionFailed(t.planned, r));
      }
      return false;
    }
    index += c.group().size();
    for (ActionTask t : c.group()) {
      Commit commit = c.written().get(t.resource());
      t.commit = commit.position();
      t.end(ActionOutcome.SUCCEEDED, null, c.time());
      listeners.laterResult(t, (l, r) -> l.actionSucceeded(t.planned, r, commit));
    }
    return true;
  }

  /**
   * Lets a group being written (only when something escaped the apply) land or fail before the lease
   * is released, whatever happens: otherwise the next apply could start under it. Interrupts of the
   * apply thread meanwhile are passed to {@code events}.
   */
  void close(ApplyEvents events) {
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
