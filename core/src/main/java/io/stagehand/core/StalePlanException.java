package io.stagehand.core;

import io.stagehand.core.plan.Plan;

/**
 * {@link Orchestrator#apply(Plan, ApplyOptions)} refused a saved plan: the staged log or the applied
 * state moved since the plan was made (something was staged, discarded or applied), so it is not the
 * plan that would run now. Make a new plan and review it.
 */
public class StalePlanException extends StagehandException {
  private static final long serialVersionUID = 1L;

  public StalePlanException(String message) {
    super(message);
  }
}
