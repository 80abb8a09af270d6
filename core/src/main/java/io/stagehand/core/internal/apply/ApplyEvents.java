package io.stagehand.core.internal.apply;

import java.util.concurrent.locks.LockSupport;

/**
 * The two ways an apply is asked to stop, {@link #cancel()} from any thread and an interrupt of the
 * apply thread, and the apply thread's wake-up: it sleeps while handler threads, timers and the
 * committer run the apply, and whoever changes something it waits for wakes it.
 */
final class ApplyEvents {
  private volatile boolean cancelled;
  private volatile Thread waiter;
  private boolean interrupted;

  /** Asks the apply to start nothing more; what runs may finish. */
  void cancel() {
    cancelled = true;
    wake();
  }

  boolean cancelled() {
    return cancelled;
  }

  /** From now on {@link #wake()} wakes {@code applyThread}, which sleeps with {@link LockSupport#park}. */
  void wakes(Thread applyThread) {
    this.waiter = applyThread;
  }

  /** Wakes the apply thread, or makes its next sleep return at once. */
  void wake() {
    Thread t = waiter;
    if (t != null) {
      LockSupport.unpark(t);
    }
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
}
