package io.stagehand.core.internal.stage;

import io.stagehand.core.spi.StoreReader;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The desired state replayed by the last staging or planning, kept for the next one while the store
 * reports that nothing changed since ({@link StoreReader#changeCount()}). Staging replays the whole
 * staged log to check a batch and planning would replay it again; for a first deployment that is
 * hundreds of thousands of edits. A replayed state is mutable, so it has one user at a time: whoever
 * takes it owns it until it is kept again.
 */
public final class ReplayCache {
  private record Replayed(long changeCount, DesiredState state) {}

  private final AtomicReference<Replayed> kept = new AtomicReference<>();

  /** The kept state if it still matches what {@code r} sees (it leaves the cache), or a fresh replay. */
  public DesiredState take(StoreReader r) {
    Replayed last = kept.getAndSet(null);
    OptionalLong now = r.changeCount();
    if (last != null && now.isPresent() && now.getAsLong() == last.changeCount()) {
      return last.state().readingFrom(r.state());
    }
    return Staging.desired(r);
  }

  /** Keeps {@code state}, which matches what {@code r} sees now, unless the store cannot tell changes. */
  public void keep(StoreReader r, DesiredState state) {
    r.changeCount().ifPresent(n -> kept.set(new Replayed(n, state)));
  }

  /**
   * Keeps {@code state}, which matches the store once the unit of work in which the store reported
   * {@code seenInUnit} has committed (one change later). Call it only after that unit committed.
   */
  public void keepAfterCommit(OptionalLong seenInUnit, DesiredState state) {
    seenInUnit.ifPresent(n -> kept.set(new Replayed(n + 1, state)));
  }
}
