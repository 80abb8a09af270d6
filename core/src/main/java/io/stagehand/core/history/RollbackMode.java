package io.stagehand.core.history;

/** Whether a rollback refuses on conflicts (the default) or goes ahead anyway. */
public enum RollbackMode {
  /** Refuse, staging nothing, when a commit to undo changed again later or a restore is impossible. */
  STRICT,
  /**
   * Undo anyway: restore each resource to its state before the earliest commit undone, overriding
   * later changes, and leave out connections whose other end no longer exists (each is named in the
   * result's notes).
   */
  FORCE
}
