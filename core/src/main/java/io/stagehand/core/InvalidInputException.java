package io.stagehand.core;

/**
 * A caller handed Stagehand something it cannot accept (a malformed id, a value that is not
 * JSON-like, an edit that does not fit the desired state); nothing was changed.
 */
public class InvalidInputException extends StagehandException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
