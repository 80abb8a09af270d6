package io.stagehand.core;

/**
 * A staging call that carried the staged-log position its author last read was refused because
 * entries staged since then touch the same resources; nothing was staged.
 */
public class StagingConflictException extends StagehandException {
  private static final long serialVersionUID = 1L;

  public StagingConflictException(String message) {
    super(message);
  }
}
