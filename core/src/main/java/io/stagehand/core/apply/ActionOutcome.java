package io.stagehand.core.apply;

/** How one planned action ended. */
public enum ActionOutcome {
  /** The handler succeeded and the commit was written. */
  SUCCEEDED,
  /** The handler failed (after its retries) or timed out, or its commit could not be written. */
  FAILED,
  /** Not started because an action it depends on failed. */
  SKIPPED,
  /** Not started because the apply was cancelled or stopped at the first failure (fail-fast). */
  CANCELLED
}
