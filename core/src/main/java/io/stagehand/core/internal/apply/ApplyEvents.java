package io.stagehand.core.internal.apply;

import io.stagehand.core.history.Commit;
import io.stagehand.core.model.ResourceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The scheduling thread's inbox: what handler threads, timers and the committer report to it, and
 * the two ways an apply is asked to stop, {@link #cancel()} from any thread and an interrupt of the
 * apply thread. Everything but the queue and {@link #cancelled()} belongs to the apply thread.
 */
final class ApplyEvents {
  sealed interface Event permits Finished, TimedOut, RetryDue, Wake, Committed {}

  /** A handler returned from {@code attempt}, with {@code error} if it threw. */
  record Finished(ResourceId id, int attempt, Throwable error) implements Event {}

  record TimedOut(ResourceId id, int attempt) implements Event {}

  record RetryDue(ResourceId id) implements Event {}

  /** Nothing happened but the loop should look again (a cancel). */
  record Wake() implements Event {}

  /** A group's unit of work ended: {@code written} holds its commits, or {@code error} why it failed. */
  record Committed(List<ActionTask> group, Map<ResourceId, Commit> written, Throwable error, Instant time)
      implements Event {}

  private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private volatile boolean cancelled;
  private boolean interrupted;

  void add(Event e) {
    queue.add(e);
  }

  /** Asks the apply to start nothing more; what runs may finish. */
  void cancel() {
    cancelled = true;
    queue.add(new Wake());
  }

  boolean cancelled() {
    return cancelled;
  }

  /**
   * The apply thread was interrupted while it waited. The flag is restored only once the lease is
   * released, so that no store call sees an interrupted thread before.
   */
  void interrupted() {
    interrupted = true;
  }

  boolean wasInterrupted() {
    return interrupted;
  }

  /** Waits for the next event, and takes those already there with it. */
  List<Event> takeBatch() throws InterruptedException {
    List<Event> batch = new ArrayList<>();
    batch.add(queue.take());
    queue.drainTo(batch);
    return batch;
  }

  /** The next event, or null after {@code nanos}. */
  Event poll(long nanos) throws InterruptedException {
    return queue.poll(nanos, TimeUnit.NANOSECONDS);
  }
}
