package io.stagehand.core.internal.apply;

import io.stagehand.core.internal.plan.Planner;
import io.stagehand.core.internal.plan.WorkOrder;
import io.stagehand.core.internal.stage.DesiredState;
import io.stagehand.core.internal.stage.ReplayCache;
import io.stagehand.core.plan.Selection;
import io.stagehand.core.spi.StoreReader;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The work order of an orchestrator's last {@code plan()}, kept for an {@code apply()} that follows
 * while the store reports that nothing changed ({@link StoreReader#changeCount()}): planning a first
 * deployment of a hundred thousand resources takes about a second, which the apply would otherwise
 * spend again inside its lease.
 *
 * <p>A work order reads the desired state it was planned from, and that state is mutable (staging
 * replays onto it in place), so the two are kept together and have one owner at a time, as in the
 * {@link ReplayCache}: whoever wants the desired state for anything else takes it back from here, and
 * the work order goes with it. The apply still takes its lease first and checks the change counter
 * inside it; its fencing and its commits are the same whether it planned or reused.
 */
public final class KeptPlan {
  private record Kept(long changeCount, Selection selection, WorkOrder order, DesiredState desired) {}

  private final ReplayCache replays;
  private final AtomicReference<Kept> kept = new AtomicReference<>();

  /** A holder whose desired states come from, and go back to, {@code replays}. */
  public KeptPlan(ReplayCache replays) {
    this.replays = replays;
  }

  /** Plans {@code selection} on what {@code r} sees, and keeps the work order for the next apply. */
  public WorkOrder plan(StoreReader r, Selection selection) {
    DesiredState desired = desired(r);
    WorkOrder order = Planner.plan(r, selection, desired);
    OptionalLong now = r.changeCount();
    if (now.isPresent()) {
      kept.set(new Kept(now.getAsLong(), selection, order, desired));
    }
    return order;
  }

  /**
   * For an apply, inside its lease: takes the kept plan, which is the apply's alone from now, and
   * returns the work of a read that gives the kept work order if the store is as it was planned and the
   * selection is the same, else a new plan. The read may run more than once. The desired state is used
   * up either way, since the apply's commits change the store.
   */
  Function<StoreReader, WorkOrder> forApply(Selection selection) {
    Kept last = kept.getAndSet(null);
    return r -> {
      if (last != null && unchanged(r, last) && last.selection().equals(selection)) {
        return last.order();
      }
      giveBack(r, last);
      return Planner.plan(r, selection, replays.take(r));
    };
  }

  /**
   * The desired state for any other use (staging, showing diffs), taken from the {@link ReplayCache}
   * or a fresh replay; a kept work order is dropped, as its desired state is no longer its own.
   */
  public DesiredState desired(StoreReader r) {
    giveBack(r, kept.getAndSet(null));
    return replays.take(r);
  }

  private static boolean unchanged(StoreReader r, Kept last) {
    OptionalLong now = r.changeCount();
    return now.isPresent() && now.getAsLong() == last.changeCount();
  }

  /** Hands a kept plan's desired state back to the replay cache, if it still matches the store. */
  private void giveBack(StoreReader r, Kept last) {
    if (last != null && unchanged(r, last)) {
      replays.keep(r, last.desired());
    }
  }
}
