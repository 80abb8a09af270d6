package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.StalePlanException;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.ActionOutcome;
import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.apply.ApplyReport;
import io.stagehand.core.apply.RetryableActionException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.internal.Redaction;
import io.stagehand.core.internal.plan.Planner;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.internal.stage.ReplayCache;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one apply: takes the lease, plans, runs ready actions on a pool of handler threads (longest
 * remaining path first), and writes each success's commit in one unit of work with its state update
 * and the staged entries it consumed. All bookkeeping happens on the one scheduling thread.
 *
 * <p>Commits are written by one committer thread, a group at a time: every action whose handler
 * returned while the previous group was being written goes into the next group, one unit of work.
 * A durable commit costs about the same for one action as for a hundred, so this is what lets an
 * apply keep up with its handlers. A handler's parallelism slot is free as soon as it returns, so
 * independent actions keep starting while a group is written; an action's successors become ready
 * only once its commit is written.
 */
public final class Applier {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  private static final DateTimeFormatter TAG_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Store store;
  private final ActionHandler handler;
  private final ApplyOptions options;
  private final SafeListeners listeners;
  private final Clock clock;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private volatile boolean cancelled;
  private boolean interrupted;

  private final ReplayCache replays;

  public Applier(Store store, ActionHandler handler, ApplyOptions options, List<ApplyListener> listeners, Clock clock,
      ReplayCache replays) {
    this.replays = replays;
    this.store = store;
    this.handler = handler;
    this.options = options;
    this.listeners = new SafeListeners(listeners);
    this.clock = clock;
  }

  public void cancel() {
    cancelled = true;
    events.add(new Wake());
  }

  // ---------------------------------------------------------------- events from workers and timers

  private sealed interface Event permits Finished, TimedOut, RetryDue, Wake, Committed {}

  private record Finished(ResourceId id, int attempt, Throwable error) implements Event {}

  private record TimedOut(ResourceId id, int attempt) implements Event {}

  private record RetryDue(ResourceId id) implements Event {}

  private record Wake() implements Event {}

  /** A group's unit of work ended: {@code written} holds its commits, or {@code error} why it failed. */
  private record Committed(List<ActionTask> group, Map<ResourceId, Commit> written, Throwable error, Instant time)
      implements Event {}

  // ---------------------------------------------------------------- the apply

  /** A saved plan this apply must match, or null to apply whatever is planned now. */
  private Plan expected;

  /** Makes this apply refuse with {@link StalePlanException} unless it plans exactly {@code plan}. */
  public Applier expecting(Plan plan) {
    this.expected = plan;
    return this;
  }

  public ApplyReport run() {
    lease = LeaseAcquirer.acquire(store, options.leaseWait(), () -> cancelled);
    try {
      return runUnderLease();
    } finally {
      lease.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The lease this apply holds; every unit of work it writes is fenced with its epoch. */
  private ApplyLease lease;
  /** Set once the lease is known lost: nothing more starts. */
  private boolean leaseLost;

  private Tag chooseTag() {
    return store.read(r -> {
      if (options.tag().isPresent()) {
        Tag t = options.tag().get();
        if (!r.commits().ofTag(t).isEmpty()) {
          throw new InvalidInputException("tag " + t + " is already used by an earlier apply; choose another");
        }
        return t;
      }
      String base = "apply-" + TAG_TIME.format(clock.instant());
      Tag t = Tag.of(base);
      for (int n = 2; !r.commits().ofTag(t).isEmpty(); n++) {
        t = Tag.of(base + "-" + n);
      }
      return t;
    });
  }

  private ApplyReport runUnderLease() {
    Tag tag = chooseTag();
    // the kept replay is used up here: the commits change the store
    WorkOrder order = store.read(r -> Planner.plan(r, options.selection(), replays.take(r)));
    Plan plan = order.plan();
    if (expected != null && (!expected.fingerprint().equals(plan.fingerprint())
        || !expected.render().equals(plan.render()))) {
      throw new StalePlanException("the saved plan is stale: it was made at staged position "
          + expected.stagedPosition() + " (fingerprint " + expected.fingerprint() + "), and the store has moved on "
          + "(staged position " + plan.stagedPosition() + ", fingerprint " + plan.fingerprint()
          + "): something was staged, discarded or applied since; make a new plan and review it");
    }
    Instant started = clock.instant();
    listeners.each(l -> l.planReady(tag, plan));

    Map<ResourceId, ActionTask> tasks = new LinkedHashMap<>();
    for (PlannedAction a : plan.actions()) {
      ActionTask t = new ActionTask(a, tag, () -> cancelled);
      t.marked = plan.wasPending(a.resource());
      tasks.put(a.resource(), t);
    }
    execute(order, tasks, tag);

    boolean allDone = tasks.values().stream().allMatch(t -> t.outcome == ActionOutcome.SUCCEEDED);
    if (allDone && !cancelled && plan.leftOut().isEmpty()) {
      dropCoveredEntries(order);
    }
    List<ActionResult> results = new ArrayList<>();
    tasks.values().forEach(t -> results.add(t.result()));
    ApplyReport report = ApplyReport.builder()
        .tag(tag)
        .plan(plan)
        .results(results)
        .started(started)
        .finished(clock.instant())
        .cancelled(cancelled)
        .build();
    listeners.each(l -> l.applyFinished(report));
    return report;
  }

  /**
   * After a fully successful apply, the entries the plan covered whose owner had no action (edits that
   * cancelled out) are dropped too: the applied state now is what they described.
   */
  private void dropCoveredEntries(WorkOrder order) {
    List<Long> left = new ArrayList<>();
    for (ResourceId owner : order.owners()) {
      if (order.plan().action(owner).isEmpty()) {
        left.addAll(order.consumedBy(owner));
      }
    }
    if (!left.isEmpty()) {
      store.write(w -> {
        w.requireLease(lease.epoch());
        w.removeStaged(left);
        return null;
      });
    }
  }

  private void execute(WorkOrder work, Map<ResourceId, ActionTask> tasks, Tag tag) {
    if (tasks.isEmpty()) {
      return;
    }
    int threads = Math.min(options.parallelism(), tasks.size());
    int poolId = POOLS.incrementAndGet();
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("stagehand-" + poolId + "-action-"));
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("stagehand-" + poolId + "-timer-"));
    Comparator<ActionTask> order = options.order() == ApplyOptions.Order.PLAN_ORDER
        ? Comparator.comparingInt((ActionTask t) -> t.planned.wave()).thenComparing(t -> t.planned.resource())
        : Comparator.comparingInt((ActionTask t) -> -t.planned.remainingPath()).thenComparing(t -> t.planned.resource());
    PriorityQueue<ActionTask> ready = new PriorityQueue<>(order);
    tasks.values().stream().filter(t -> t.waitingFor == 0).forEach(ready::add);
    int running = 0;
    int retrying = 0;
    // handlers that timed out but have not returned yet, holding their limit slots
    int zombies = 0;
    int index = 0;
    boolean stopping = false;
    ConcurrencyLimits<ActionTask> limits = new ConcurrencyLimits<>(ready, options,
        ActionTask::location, ActionTask::kind);
    // handlers returned successfully, commit not yet written; at most one group is being written
    List<ActionTask> toCommit = new ArrayList<>();
    boolean committing = false;
    ExecutorService committer = Executors.newSingleThreadExecutor(daemon("stagehand-" + poolId + "-commit-"));
    try {
      while (true) {
        if (Thread.interrupted()) {
          // an interrupt that came while take() was already returning an event
          interrupted = true;
          cancel();
        }
        stopping |= cancelled;
        if (!stopping && !lease.isValid()) {
          // no new action once the lease is known lost; what runs may finish, its commit is fenced
          LOG.error("apply {}: the apply lease was lost; starting no more actions", tag);
          leaseLost = true;
          stopping = true;
        }
        while (!stopping && running < options.parallelism() && !ready.isEmpty()) {
          ActionTask next = ready.poll();
          if (limits.park(next)) {
            continue;
          }
          limits.acquire(next);
          next.slotHeldBy = next.attempt + 1;
          start(next, pool, timers);
          running++;
        }
        if (!committing && !toCommit.isEmpty()) {
          submitGroup(committer, work, tasks, tag, toCommit, index);
          toCommit = new ArrayList<>();
          committing = true;
        }
        boolean waitingForSlots = zombies > 0 && limits.hasParked() && !stopping;
        if (running == 0 && !committing && !waitingForSlots && (retrying == 0 || stopping)
            && (ready.isEmpty() || stopping)) {
          if (!stopping && limits.hasParked()) {
            throw new IllegalStateException("actions are parked but nothing runs: " + limits);
          }
          break;
        }
        List<Event> batch = new ArrayList<>();
        try {
          batch.add(events.take());
        } catch (InterruptedException e) {
          // stop starting actions, but keep waiting for the running ones; run() restores the flag
          // once the lease is released, so that no store call sees an interrupted thread before
          interrupted = true;
          cancel();
          stopping = true;
          continue;
        }
        events.drainTo(batch);
        for (Event ev : batch) {
          if (ev instanceof Finished f) {
            ActionTask t = tasks.get(f.id());
            if (returned(limits, t, f.attempt()) && (!t.running || t.attempt != f.attempt())) {
              zombies--;
            }
            if (!t.running || t.attempt != f.attempt()) {
              continue; // a late result of an attempt that already timed out
            }
            t.running = false;
            running--;
            if (f.error() == null) {
              toCommit.add(t);
            } else if (f.error() instanceof RetryableActionException && t.attempt < options.maxAttempts() && !stopping) {
              Duration delay = backoff(t.attempt);
              retrying++;
              listeners.each(l -> l.actionRetrying(t.planned, t.attempt, f.error(), delay));
              timers.schedule(() -> events.add(new RetryDue(t.resource())), delay.toMillis(), TimeUnit.MILLISECONDS);
            } else {
              stopping |= fail(t, tasks, Redaction.scrub(describe(f.error()), t.planned.diff()));
            }
          } else if (ev instanceof TimedOut to) {
            ActionTask t = tasks.get(to.id());
            if (!t.running || t.attempt != to.attempt()) {
              continue;
            }
            t.attemptCancelled = true;
            t.future.cancel(true);
            t.running = false;
            running--;
            // its handler may ignore the interrupt and go on: it keeps its slots until it returns
            zombies++;
            stopping |= fail(t, tasks, "timed out after " + options.actionTimeout().orElseThrow());
          } else if (ev instanceof RetryDue rd) {
            retrying--;
            ActionTask t = tasks.get(rd.id());
            if (stopping) {
              t.outcome = ActionOutcome.FAILED;
              t.error = "not retried: the apply stopped";
              t.end = clock.instant();
              ActionTask failedTask = t;
              listeners.each(l -> l.actionFailed(failedTask.planned, failedTask.result()));
            } else {
              ready.add(t);
            }
          } else if (ev instanceof Committed c) {
            committing = false;
            if (!committed(c)) {
              stopping = true; // the store failed: do not start anything else
              continue;
            }
            index += c.group().size();
            for (ActionTask t : c.group()) {
              for (ResourceId s : t.planned.successors()) {
                ActionTask next = tasks.get(s);
                if (--next.waitingFor == 0 && next.outcome == null) {
                  ready.add(next);
                }
              }
            }
          }
        }
      }
      awaitTimedOutHandlers(tasks, limits, zombies);
    } finally {
      pool.shutdownNow();
      timers.shutdownNow();
      // a group being written (only when something escaped the loop) lands or fails before the lease
      // is released, whatever happens: otherwise the next apply could start under it
      committer.shutdown();
      awaitCommitter(committer);
    }
    for (ActionTask t : tasks.values()) {
      if (t.outcome == null) {
        t.outcome = ActionOutcome.CANCELLED;
        t.error = cancelled ? "the apply was cancelled"
            : leaseLost ? "the apply lease was lost" : "the apply stopped at the first failure";
        listeners.each(l -> l.actionSkipped(t.planned, t.result()));
      }
    }
  }

  /**
   * A handler of {@code t} returned from {@code attempt}: only now do its location and kind slots
   * free up. Returns whether that attempt held them (false for a result that frees nothing).
   */
  private static boolean returned(ConcurrencyLimits<ActionTask> limits, ActionTask t, int attempt) {
    if (t.slotHeldBy != attempt) {
      return false;
    }
    t.slotHeldBy = 0;
    limits.release(t);
    return true;
  }

  private void start(ActionTask t, ExecutorService pool, ScheduledExecutorService timers) {
    t.attempt++;
    t.running = true;
    t.attemptCancelled = false;
    if (t.firstStart == null) {
      t.firstStart = clock.instant();
    }
    int attempt = t.attempt;
    listeners.each(l -> l.actionStarted(t.planned, attempt));
    t.future = pool.submit(() -> {
      Throwable error = null;
      try {
        handler.handle(t);
      } catch (Throwable e) {
        error = e;
      }
      events.add(new Finished(t.resource(), attempt, error));
    });
    options.actionTimeout().ifPresent(timeout -> timers.schedule(
        () -> events.add(new TimedOut(t.resource(), attempt)), timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  private Duration backoff(int attempt) {
    return new Backoff(options.initialBackoff(), options.maxBackoff()).delay(attempt);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Marks {@code t} failed and skips everything that depends on it; returns true to stop the apply. */
  private boolean fail(ActionTask t, Map<ResourceId, ActionTask> tasks, String error) {
    t.outcome = ActionOutcome.FAILED;
    t.error = error;
    t.end = clock.instant();
    listeners.each(l -> l.actionFailed(t.planned, t.result()));
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
        listeners.each(l -> l.actionSkipped(s.planned, s.result()));
      }
      queue.addAll(s.planned.successors());
    }
    return options.failFast();
  }

  /**
   * Hands {@code group} to the committer, which writes its commits in one unit of work starting at
   * {@code index} and reports back with a {@link Committed} event.
   */
  private void submitGroup(ExecutorService committer, WorkOrder order, Map<ResourceId, ActionTask> tasks, Tag tag,
      List<ActionTask> group, int index) {
    List<List<ResourceId>> stillToRuns = new ArrayList<>();
    for (ActionTask t : group) {
      // read here, on the scheduling thread, which owns the tasks' outcomes
      List<ResourceId> stillToRun = new ArrayList<>();
      for (ResourceId s : order.allSuccessors(t.resource())) {
        ActionTask next = tasks.get(s);
        if (next != null && next.planned.action() == Action.RUN) {
          // a new resource needs no mark: its staged creation plans it again whatever happens here
          continue;
        }
        if (next == null || next.outcome == null) {
          stillToRun.add(s); // still to run, or left out of a partial apply
          if (next != null) {
            next.marked = true; // its own commit comes after this one's and clears the mark
          }
        }
      }
      stillToRuns.add(stillToRun);
    }
    List<CommitWriter.Item> items = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      items.add(new CommitWriter.Item(group.get(i).planned, group.get(i).marked, stillToRuns.get(i)));
    }
    CommitWriter writer = new CommitWriter(store, lease, order, tag);
    committer.execute(() -> {
      Instant now = clock.instant();
      try {
        events.add(new Committed(group, writer.write(items, index, now), null, now));
      } catch (Throwable e) {
        // whatever went wrong, the scheduling thread must hear of it, or it would wait for ever
        events.add(new Committed(group, Map.of(), e, now));
      }
    });
  }

  /** Records a group's outcome and tells the listeners; returns false if its unit of work failed. */
  private boolean committed(Committed c) {
    if (c.error() != null) {
      LOG.error("could not write the commits of {}", c.group().stream().map(ActionTask::resource).toList(), c.error());
      for (ActionTask t : c.group()) {
        t.outcome = ActionOutcome.FAILED;
        t.error = "the handler succeeded but the commit could not be written: "
            + Redaction.scrub(describe(c.error()), t.planned.diff());
        t.end = c.time();
        listeners.each(l -> l.actionFailed(t.planned, t.result()));
      }
      return false;
    }
    for (ActionTask t : c.group()) {
      Commit commit = c.written().get(t.resource());
      t.outcome = ActionOutcome.SUCCEEDED;
      t.commit = commit.position();
      t.end = c.time();
      ActionResult result = t.result();
      listeners.each(l -> l.actionSucceeded(t.planned, result, commit));
    }
    return true;
  }

  /**
   * Waits, up to one more action timeout, for handlers that timed out but have not returned (they were
   * interrupted): the lease is released after them, or the next apply could run the same action while
   * one of them still does. A handler deaf to interrupts past that is left behind, with an error logged.
   */
  private void awaitTimedOutHandlers(Map<ResourceId, ActionTask> tasks, ConcurrencyLimits<ActionTask> limits, int zombies) {
    if (zombies == 0) {
      return;
    }
    long deadline = System.nanoTime() + options.actionTimeout().orElse(Duration.ofSeconds(30)).toNanos();
    while (zombies > 0) {
      long left = deadline - System.nanoTime();
      Event ev;
      try {
        ev = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      }
      if (ev == null) {
        break;
      }
      if (ev instanceof Finished f) {
        if (returned(limits, tasks.get(f.id()), f.attempt())) {
          zombies--;
        }
      }
    }
    if (zombies > 0) {
      LOG.error("{} handler(s) that timed out still run, deaf to their interrupt; the apply ends without them, "
          + "and the next apply may run their actions again while they do", zombies);
    }
  }

  private void awaitCommitter(ExecutorService committer) {
    while (true) {
      try {
        if (committer.awaitTermination(1, TimeUnit.MINUTES)) {
          return;
        }
        LOG.warn("still waiting for a group of commits to be written before the apply lease is released");
      } catch (InterruptedException e) {
        interrupted = true; // run() restores the flag once the lease is released
      }
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
