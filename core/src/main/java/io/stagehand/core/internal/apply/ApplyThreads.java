package io.stagehand.core.internal.apply;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one apply, all daemons named after it: a pool of handler threads, a timer thread
 * for retries and timeouts, and the committer thread.
 */
final class ApplyThreads {
  private static final AtomicInteger APPLIES = new AtomicInteger();

  final ExecutorService handlers;
  final ScheduledExecutorService timers;
  final ExecutorService committer;

  /** Threads for an apply that runs up to {@code handlerThreads} handlers at once. */
  ApplyThreads(int handlerThreads) {
    String prefix = "stagehand-" + APPLIES.incrementAndGet();
    handlers = Executors.newFixedThreadPool(handlerThreads, daemon(prefix + "-action-"));
    timers = Executors.newSingleThreadScheduledExecutor(daemon(prefix + "-timer-"));
    committer = Executors.newSingleThreadExecutor(daemon(prefix + "-commit-"));
  }

  /**
   * Stops the handler threads (interrupting any handler still running) and the timers; the committer
   * is left to finish the group it writes ({@link CommitGroups#close}).
   */
  void stop() {
    handlers.shutdownNow();
    timers.shutdownNow();
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
