package io.stagehand.core.internal.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.apply.ActionHandler;
import io.stagehand.core.apply.RetryableActionException;
import io.stagehand.core.internal.Redaction;
import io.stagehand.core.internal.apply.ApplyEvents.Committed;
import io.stagehand.core.internal.apply.ApplyEvents.Event;
import io.stagehand.core.internal.apply.ApplyEvents.Finished;
import io.stagehand.core.internal.apply.ApplyEvents.RetryDue;
import io.stagehand.core.internal.apply.ApplyEvents.TimedOut;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.spi.ApplyLease;
import io.stagehand.core.spi.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event loop of one apply, on the apply's thread: starts ready actions (longest remaining path
 * first, or in plan order) on a pool of handler threads within the parallelism and the location and
 * kind limits, retries with {@link Backoff}, times handlers out, and stops starting actions on a
 * cancel, an interrupt, a lost lease, a failed commit or (fail-fast) a failure. Succeeded actions go
 * to the {@link CommitGroups}; an action's successors become ready only once its commit is written.
 * A handler's slots stay taken until it returns, even after it timed out.
 */
final class ApplyScheduler {
  // the Applier's logger, as before the engine was split: log configurations name it
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

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
  private ExecutorService pool;
  private ScheduledExecutorService timers;
  private CommitGroups commits;
  private int running;
  private int retrying;
  /** Handlers that timed out but have not returned yet, holding their limit slots. */
  private int zombies;
  private boolean stopping;
  /** Set once the lease is known lost: nothing more starts. */
  private boolean leaseLost;

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

  /** Runs every task to an outcome; returns once nothing runs and no commit is being written. */
  void run() {
    int size = tasks.all().size();
    if (size == 0) {
      return;
    }
    int poolId = POOLS.incrementAndGet();
    pool = Executors.newFixedThreadPool(Math.min(options.parallelism(), size),
        daemon("stagehand-" + poolId + "-action-"));
    timers = Executors.newSingleThreadScheduledExecutor(daemon("stagehand-" + poolId + "-timer-"));
    ready.addAll(tasks.roots());
    commits = new CommitGroups(Executors.newSingleThreadExecutor(daemon("stagehand-" + poolId + "-commit-")),
        writer, order, tasks, events, listeners, clock);
    try {
      loop();
      awaitTimedOutHandlers();
    } finally {
      pool.shutdownNow();
      timers.shutdownNow();
      commits.close();
    }
    tasks.cancelRest(events.cancelled() ? "the apply was cancelled"
        : leaseLost ? "the apply lease was lost" : "the apply stopped at the first failure");
  }

  private void loop() {
    while (true) {
      if (Thread.interrupted()) {
        // an interrupt that came while take() was already returning an event
        events.interrupted();
        events.cancel();
      }
      stopping |= events.cancelled();
      if (!stopping && !lease.isValid()) {
        // no new action once the lease is known lost; what runs may finish, its commit is fenced
        LOG.error("apply {}: the apply lease was lost; starting no more actions", tasks.tag());
        leaseLost = true;
        stopping = true;
      }
      startReady();
      commits.writeNext();
      if (isOver()) {
        return;
      }
      List<Event> batch;
      try {
        batch = events.takeBatch();
      } catch (InterruptedException e) {
        // stop starting actions, but keep waiting for the running ones
        events.interrupted();
        events.cancel();
        stopping = true;
        continue;
      }
      batch.forEach(this::handle);
    }
  }

  /** Starts ready actions while the parallelism allows, parking those whose location or kind is full. */
  private void startReady() {
    while (!stopping && running < options.parallelism() && !ready.isEmpty()) {
      ActionTask next = ready.poll();
      if (limits.park(next)) {
        continue;
      }
      limits.acquire(next);
      next.slotHeldBy = next.attempt + 1;
      start(next);
      running++;
    }
  }

  /** Whether nothing runs, is written, waits for a retry or slots, or (unless stopping) is ready. */
  private boolean isOver() {
    boolean waitingForSlots = zombies > 0 && limits.hasParked() && !stopping;
    if (running == 0 && !commits.isWriting() && !waitingForSlots && (retrying == 0 || stopping)
        && (ready.isEmpty() || stopping)) {
      if (!stopping && limits.hasParked()) {
        throw new IllegalStateException("actions are parked but nothing runs: " + limits);
      }
      return true;
    }
    return false;
  }

  private void handle(Event ev) {
    if (ev instanceof Finished f) {
      finished(f);
    } else if (ev instanceof TimedOut to) {
      timedOut(to);
    } else if (ev instanceof RetryDue rd) {
      retrying--;
      ActionTask t = tasks.get(rd.id());
      if (stopping) {
        tasks.notRetried(t);
      } else {
        ready.add(t);
      }
    } else if (ev instanceof Committed c) {
      if (!commits.landed(c)) {
        stopping = true; // the store failed: do not start anything else
        return;
      }
      ready.addAll(tasks.readyAfter(c.group()));
    }
  }

  private void finished(Finished f) {
    ActionTask t = tasks.get(f.id());
    boolean current = t.running && t.attempt == f.attempt();
    if (returned(t, f.attempt()) && !current) {
      zombies--;
    }
    if (!current) {
      return; // a late result of an attempt that already timed out
    }
    t.running = false;
    running--;
    if (f.error() == null) {
      commits.add(t);
    } else if (f.error() instanceof RetryableActionException && t.attempt < options.maxAttempts() && !stopping) {
      Duration delay = new Backoff(options.initialBackoff(), options.maxBackoff()).delay(t.attempt);
      retrying++;
      listeners.each(l -> l.actionRetrying(t.planned, t.attempt, f.error(), delay));
      timers.schedule(() -> events.add(new RetryDue(t.resource())), delay.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      fail(t, Redaction.scrub(describe(f.error()), t.planned.diff()));
    }
  }

  private void timedOut(TimedOut to) {
    ActionTask t = tasks.get(to.id());
    if (!t.running || t.attempt != to.attempt()) {
      return;
    }
    t.attemptCancelled = true;
    t.future.cancel(true);
    t.running = false;
    running--;
    // its handler may ignore the interrupt and go on: it keeps its slots until it returns
    zombies++;
    fail(t, "timed out after " + options.actionTimeout().orElseThrow());
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

  private void start(ActionTask t) {
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

  /**
   * Waits, up to one more action timeout, for handlers that timed out but have not returned (they were
   * interrupted): the lease is released after them, or the next apply could run the same action while
   * one of them still does. A handler deaf to interrupts past that is left behind, with an error logged.
   */
  private void awaitTimedOutHandlers() {
    if (zombies == 0) {
      return;
    }
    long deadline = System.nanoTime() + options.actionTimeout().orElse(Duration.ofSeconds(30)).toNanos();
    while (zombies > 0) {
      long left = deadline - System.nanoTime();
      Event ev;
      try {
        ev = left > 0 ? events.poll(left) : null;
      } catch (InterruptedException e) {
        events.interrupted();
        break;
      }
      if (ev == null) {
        break;
      }
      if (ev instanceof Finished f && returned(tasks.get(f.id()), f.attempt())) {
        zombies--;
      }
    }
    if (zombies > 0) {
      LOG.error("{} handler(s) that timed out still run, deaf to their interrupt; the apply ends without them, "
          + "and the next apply may run their actions again while they do", zombies);
    }
  }

  /** A failure's message for reports, or the class name of one without a message. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
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
