package io.stagehand.core;

/** Another apply holds the store's lease; nothing was done. */
public class ApplyInProgressException extends StagehandException {
  private static final long serialVersionUID = 1L;

  public ApplyInProgressException(String message) {
    super(message);
  }
}
