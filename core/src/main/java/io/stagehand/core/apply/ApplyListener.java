package io.stagehand.core.apply;

import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.PlannedAction;

/**
 * Hears an apply's progress. Every method has a no-op default; all are called from the apply's
 * scheduling thread, one at a time, so an implementation needs no locking of its own. A listener
 * that throws is logged and ignored.
 */
public interface ApplyListener {
  default void planReady(Tag tag, Plan plan) {}

  default void actionStarted(PlannedAction action, int attempt) {}

  /** The action's commit was written; {@code result} is its final result. */
  default void actionSucceeded(PlannedAction action, ActionResult result, Commit commit) {}

  /** An attempt failed and will be retried after {@code delay}. */
  default void actionRetrying(PlannedAction action, int attempt, Throwable error, java.time.Duration delay) {}

  default void actionFailed(PlannedAction action, ActionResult result) {}

  /** The action will not start: a predecessor failed, or the apply stopped. */
  default void actionSkipped(PlannedAction action, ActionResult result) {}

  default void applyFinished(ApplyReport report) {}
}
