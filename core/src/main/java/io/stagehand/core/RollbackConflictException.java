package io.stagehand.core;

/**
 * A rollback was refused: a commit to undo was changed again later, a connection to restore needs a
 * resource that no longer exists, or other changes are staged for the resources it touches. The
 * message names them and says how to widen the rollback; nothing was staged.
 */
public class RollbackConflictException extends StagehandException {
  private static final long serialVersionUID = 1L;

  public RollbackConflictException(String message) {
    super(message);
  }
}
