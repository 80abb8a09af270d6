package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.RetryableActionException;
import io.stagehand.core.internal.Redaction;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.model.Diff;
import io.stagehand.core.plan.PlannedAction;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the actions of one apply: starts ready actions (longest remaining path first, or in plan order)
 * on a pool of handler threads within the parallelism and the location and kind limits, retries with
 * {@link Backoff}, times handlers out, and stops starting actions on a cancel, an interrupt of the
 * apply thread, a lost lease, a failed commit or (fail-fast) a failure. Succeeded actions go to the
 * {@link CommitGroups}; an action's successors become ready only once its commit is written. A
 * handler's slots stay taken until it returns, even after it timed out.
 *
 * <p>The state lives under one lock, this object's monitor, and whichever thread changes it moves the
 * apply on, so that an action costs no hand-off between threads: a handler thread that finishes an
 * action starts the next ready one itself, and the committer readies an action's successors once its
 * commit is written. The apply thread only waits, tells the listeners in batches, and notices an
 * interrupt; it is woken when the apply is over or a cancel comes.
 */
final class ApplyScheduler {
  // the Applier's logger, as before the engine was split: log configurations name it
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  /** How long the apply thread lets listener calls gather while they come in. */
  private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final ApplyOptions options;
  private final ActionHandler handler;
  private final SafeListeners listeners;
  private final Clock clock;
  private final ApplyEvents events;
  private final ApplyLease lease;
  private final WorkOrder order;
  private final TaskGraph tasks;
  private final CommitGroups.Writer writer;
  private final PriorityQueue<ActionTask> ready;
  private final ConcurrencyLimits<ActionTask> limits;
  private Thread applyThread;
  private ApplyThreads threads;
  private CommitGroups commits;
  private int running;
  private int retrying;
  /** Handlers that timed out but have not returned yet, holding their limit slots. */
  private int zombies;
  private boolean stopping;
  /** Set once the lease is known lost: nothing more starts. */
  private boolean leaseLost;
  /** Set once the apply is over: a timer that fires late changes nothing. */
  private boolean closed;
  /** What the scheduler's own code threw on another thread, for the apply thread to throw. */
  private Throwable broken;

  /** A scheduler for {@code tasks}, writing each group of commits with {@code writer}, fenced by {@code lease}. */
  ApplyScheduler(ApplyOptions options, ActionHandler handler, SafeListeners listeners, Clock clock,
      ApplyEvents events, ApplyLease lease, WorkOrder order, TaskGraph tasks, CommitGroups.Writer writer) {
    this.options = options;
    this.handler = handler;
    this.listeners = listeners;
    this.clock = clock;
    this.events = events;
    this.lease = lease;
    this.order = order;
    this.tasks = tasks;
    this.writer = writer;
    Comparator<ActionTask> first = options.order() == ApplyOptions.Order.PLAN_ORDER
        ? Comparator.comparingInt((ActionTask t) -> t.planned.wave())
        : Comparator.comparingInt((ActionTask t) -> -t.planned.remainingPath());
    this.ready = new PriorityQueue<>(first.thenComparing(t -> t.planned.resource()));
    this.limits = new ConcurrencyLimits<>(ready, options, ActionTask::location, ActionTask::kind);
  }

  /**
   * Runs every task to an outcome on the calling thread's behalf, telling the listeners on it; returns
   * once nothing runs and no commit is being written.
   */
  void run() {
    int size = tasks.all().size();
    if (size == 0) {
      return;
    }
    applyThread = Thread.currentThread();
    events.wakes(applyThread);
    threads = new ApplyThreads(Math.min(options.parallelism(), size));
    commits = new CommitGroups(this, threads.committer, writer, order, tasks, listeners, clock, this::landed,
        this::broke);
    try {
      synchronized (this) {
        ready.addAll(tasks.roots());
        startReady();
      }
      awaitEnd();
      awaitTimedOutHandlers();
    } finally {
      synchronized (this) {
        closed = true;
      }
      threads.stop();
      commits.close(events);
      events.wakes(null);
    }
    synchronized (this) {
      tasks.cancelRest(events.cancelled() ? "the apply was cancelled"
          : leaseLost ? "the apply lease was lost" : "the apply stopped at the first failure");
    }
    listeners.flush();
  }

  /** On the apply thread: tells the listeners what happened, in batches, until the apply is over. */
  private void awaitEnd() {
    while (true) {
      synchronized (this) {
        if (Thread.interrupted()) {
          // under the lock, so that no handler thread sees the flag cleared before the cancel
          events.interrupted();
          events.cancel();
        }
        if (broken != null) {
          throw new IllegalStateException("the apply's bookkeeping failed on another thread", broken);
        }
        noteStop();
        if (isOver()) {
          if (!stopping && limits.hasParked()) {
            throw new IllegalStateException("actions are parked but nothing runs: " + limits);
          }
          return;
        }
      }
      if (listeners.flush()) {
        LockSupport.parkNanos(this, BATCH_NANOS);
      } else {
        listeners.awaitCall();
      }
    }
  }

  /** Notes a cancel, an interrupt of the apply thread or a lost lease, whichever thread sees it first. */
  private void noteStop() {
    boolean asked = events.cancelled() || applyThread.isInterrupted();
    if (stopping || !asked && lease.isValid()) {
      return;
    }
    if (!asked) {
      // no new action once the lease is known lost; what runs may finish, its commit is fenced
      LOG.error("apply {}: the apply lease was lost; starting no more actions", tasks.tag());
      leaseLost = true;
    }
    stopping = true;
    events.wake();
  }

  /** Whether nothing runs, is written, waits for a retry or slots, or (unless stopping) is ready. */
  private boolean isOver() {
    boolean waitingForSlots = zombies > 0 && limits.hasParked() && !stopping;
    return running == 0 && !commits.isWriting() && !waitingForSlots && (retrying == 0 || stopping)
        && (ready.isEmpty() || stopping);
  }

  private void wakeIfOver() {
    if (isOver()) {
      events.wake();
    }
  }

  /** Starts ready actions, each on a pool thread of its own, while the parallelism and limits allow. */
  private void startReady() {
    for (ActionTask t = nextReady(); t != null; t = nextReady()) {
      ActionTask first = t;
      int attempt = t.attempt;
      threads.handlers.execute(guarded(() -> work(first, attempt)));
    }
  }

  /**
   * The next ready action that may start now, taken and counted as started, or null; parks those whose
   * location or kind is full.
   */
  private ActionTask nextReady() {
    while (running < options.parallelism() && !ready.isEmpty()) {
      noteStop();
      if (stopping) {
        return null;
      }
      ActionTask next = ready.poll();
      if (limits.park(next)) {
        continue;
      }
      limits.acquire(next);
      next.slotHeldBy = next.attempt + 1;
      started(next);
      running++;
      return next;
    }
    return null;
  }

  private void started(ActionTask t) {
    t.attempt++;
    t.attemptStarts();
    t.running = true;
    t.attemptCancelled = false;
    t.runner = null;
    if (t.firstStart == null) {
      t.firstStart = clock.instant();
    }
    int attempt = t.attempt;
    listeners.later(l -> l.actionStarted(t.planned, attempt));
    options.actionTimeout().ifPresent(timeout -> threads.timers.schedule(
        guarded(() -> timedOut(t, attempt)), timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** On a pool thread: runs {@code t}'s handler, then each ready action this thread may start next. */
  private void work(ActionTask t, int attempt) {
    synchronized (this) {
      claim(t);
    }
    while (t != null) {
      Throwable error = null;
      try {
        t.run(handler);
      } catch (Throwable e) {
        error = e;
      }
      synchronized (this) {
        // an interrupt its timeout sent, meant for the handler that returned: not for the next one
        Thread.interrupted();
        finished(t, attempt, error);
        t = nextReady();
        if (t != null) {
          attempt = t.attempt;
          claim(t);
        }
        wakeIfOver();
      }
    }
  }

  /** {@code t}'s handler runs on this thread, which its timeout interrupts; it may have come already. */
  private void claim(ActionTask t) {
    t.runner = Thread.currentThread();
    if (t.attemptCancelled) {
      t.runner.interrupt();
    }
  }

  private void finished(ActionTask t, int attempt, Throwable error) {
    boolean current = t.running && t.attempt == attempt;
    if (returned(t, attempt) && !current) {
      zombies--;
      events.wake();
    }
    if (!current) {
      return; // a late result of an attempt that already timed out
    }
    t.running = false;
    running--;
    noteStop();
    if (error == null) {
      commits.add(t);
    } else if (error instanceof RetryableActionException && t.attempt < options.maxAttempts() && !stopping) {
      Duration delay = new Backoff(options.initialBackoff(), options.maxBackoff()).delay(t.attempt);
      retrying++;
      int tried = t.attempt;
      // told with the diff the handler saw and the outputs it put, so that a listener scrubs them all
      Diff seen = t.committed();
      PlannedAction told = seen == t.planned.diff() ? t.planned : PlannedAction.builder().from(t.planned).diff(seen).build();
      listeners.later(l -> l.actionRetrying(told, tried, error, delay));
      threads.timers.schedule(guarded(() -> retryDue(t)), delay.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      // the values it was given and the outputs it put are scrubbed, the sensitive ones
      fail(t, Redaction.scrub(ActionTask.describe(error), t.committed()));
    }
  }

  private synchronized void retryDue(ActionTask t) {
    if (closed) {
      return;
    }
    retrying--;
    noteStop();
    if (stopping) {
      tasks.notRetried(t);
    } else {
      ready.add(t);
      startReady();
    }
    wakeIfOver();
  }

  private synchronized void timedOut(ActionTask t, int attempt) {
    if (closed || !t.running || t.attempt != attempt) {
      return;
    }
    t.attemptCancelled = true;
    if (t.runner != null) {
      t.runner.interrupt(); // it still runs this attempt's handler: its thread moves on only under the lock
    }
    t.running = false;
    running--;
    // its handler may ignore the interrupt and go on: it keeps its slots until it returns
    zombies++;
    fail(t, "timed out after " + options.actionTimeout().orElseThrow());
    startReady();
    wakeIfOver();
  }

  /**
   * {@code work}, which tells the apply thread if it throws: the state is kept by whichever thread
   * changes it, and a thread that died with it half-changed would leave the apply waiting for ever.
   */
  private Runnable guarded(Runnable work) {
    return () -> {
      try {
        work.run();
      } catch (Throwable e) {
        broke(e);
      }
    };
  }

  private synchronized void broke(Throwable e) {
    if (broken == null) {
      broken = e;
    }
    stopping = true;
    events.wake();
  }

  /** Under the lock, on the committer thread: a group landed, or failed and stops the apply. */
  private void landed(List<ActionTask> group, boolean written) {
    if (!written) {
      stopping = true; // the store failed: do not start anything else
    } else {
      ready.addAll(tasks.readyAfter(group));
      startReady();
    }
    wakeIfOver();
  }

  /** Fails {@code t} and skips its successors; the apply stops there if it is fail-fast. */
  private void fail(ActionTask t, String error) {
    tasks.fail(t, error);
    stopping |= options.failFast();
  }

  /**
   * A handler of {@code t} returned from {@code attempt}: only now do its location and kind slots
   * free up. Returns whether that attempt held them (false for a result that frees nothing).
   */
  private boolean returned(ActionTask t, int attempt) {
    if (t.slotHeldBy != attempt) {
      return false;
    }
    t.slotHeldBy = 0;
    limits.release(t);
    return true;
  }

  /**
   * Waits, up to one more action timeout, for handlers that timed out but have not returned (they were
   * interrupted): the lease is released after them, or the next apply could run the same action while
   * one of them still does. A handler deaf to interrupts past that is left behind, with an error logged.
   */
  private void awaitTimedOutHandlers() {
    long deadline = System.nanoTime() + options.actionTimeout().orElse(Duration.ofSeconds(30)).toNanos();
    while (true) {
      synchronized (this) {
        if (zombies == 0) {
          return;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        events.interrupted();
        break;
      }
    }
    synchronized (this) {
      if (zombies > 0) {
        LOG.error("{} handler(s) that timed out still run, deaf to their interrupt; the apply ends without them, "
            + "and the next apply may run their actions again while they do", zombies);
      }
    }
  }
}
