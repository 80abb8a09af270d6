package io.stagehand.core.internal.apply;

import io.stagehand.core.apply.ActionResult;
import io.stagehand.core.apply.ApplyListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An apply's listeners, each called in isolation: whatever one throws, an {@link Error} included, is
 * logged and goes no further, so a listener can never leave the apply loop with commits still being
 * written, nor keep the next listener from hearing.
 *
 * <p>While actions run, handler threads and the committer only queue their calls ({@link #later});
 * the apply thread makes them in batches ({@link #flush}), in the order they were queued. Listeners so
 * hear everything from one thread, in order, and a slow listener never holds up a handler thread, while
 * the apply thread wakes once per batch rather than once per event.
 */
public final class SafeListeners {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  private final List<ApplyListener> listeners;
  /** Calls queued for the apply thread; guarded by this. */
  private List<Consumer<ApplyListener>> queued = new ArrayList<>();
  /** The apply thread, while it sleeps until a call is queued; guarded by this. */
  private Thread idle;

  public SafeListeners(List<ApplyListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Tells every listener now, after the calls already queued; on the apply thread only. */
  public void each(Consumer<ApplyListener> call) {
    flush();
    tell(call);
  }

  /**
   * Queues a call for the apply thread's next {@link #flush}; from any thread. The call must carry
   * its values, not read them from the tasks when it is made.
   */
  synchronized void later(Consumer<ApplyListener> call) {
    if (listeners.isEmpty()) {
      return;
    }
    queued.add(call);
    if (idle != null) {
      LockSupport.unpark(idle);
      idle = null;
    }
  }

  /**
   * Queues a call about {@code t}'s outcome with its result as it is now, built only if anyone
   * listens: the caller holds the scheduler's lock, which a hundred thousand results would hold up.
   */
  void laterResult(ActionTask t, BiConsumer<ApplyListener, ActionResult> call) {
    if (listeners.isEmpty()) {
      return;
    }
    ActionResult result = t.result();
    later(l -> call.accept(l, result));
  }

  /** Makes the queued calls, in order; on the apply thread only. Returns whether there were any. */
  boolean flush() {
    List<Consumer<ApplyListener>> batch;
    synchronized (this) {
      if (queued.isEmpty()) {
        return false;
      }
      batch = queued;
      queued = new ArrayList<>();
    }
    batch.forEach(this::tell);
    return true;
  }

  /**
   * Sleeps the apply thread until a call is queued or something else wakes it, unless one is queued
   * already. The sleep may also end early for no reason: the caller looks again in a loop.
   */
  void awaitCall() {
    synchronized (this) {
      if (!queued.isEmpty()) {
        return;
      }
      idle = Thread.currentThread();
    }
    LockSupport.park(this);
    synchronized (this) {
      idle = null;
    }
  }

  private void tell(Consumer<ApplyListener> call) {
    for (ApplyListener l : listeners) {
      try {
        call.accept(l);
      } catch (Throwable e) {
        LOG.warn("an apply listener threw; ignoring it", e);
      }
    }
  }
}
