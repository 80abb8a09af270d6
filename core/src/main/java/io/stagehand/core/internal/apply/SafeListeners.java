package io.stagehand.core.internal.apply;

import io.stagehand.core.apply.ApplyListener;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An apply's listeners, each called in isolation: whatever one throws, an {@link Error} included, is
 * logged and goes no further, so a listener can never leave the apply loop with commits still being
 * written, nor keep the next listener from hearing.
 */
public final class SafeListeners {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  private final List<ApplyListener> listeners;

  public SafeListeners(List<ApplyListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Tells every listener, one at a time. */
  public void each(Consumer<ApplyListener> call) {
    for (ApplyListener l : listeners) {
      try {
        call.accept(l);
      } catch (Throwable e) {
        LOG.warn("an apply listener threw; ignoring it", e);
      }
    }
  }
}
