package io.stagehand.core.history;

/** How a whole apply ended, as its {@link ApplyRecord} keeps it. */
public enum ApplyOutcome {
  /** The apply holds the lease and runs (or its process is running it). */
  RUNNING,
  /** Every planned action succeeded. */
  SUCCEEDED,
  /** An action failed or was skipped, or the apply itself failed (its store, say). */
  FAILED,
  /** The apply was cancelled, or its thread interrupted, before every action ran. */
  CANCELLED,
  /**
   * The process stopped in the middle of it (killed, or its machine lost): the next apply found its
   * record still running. Its committed actions stand; the rest stays staged.
   */
  INTERRUPTED
}
