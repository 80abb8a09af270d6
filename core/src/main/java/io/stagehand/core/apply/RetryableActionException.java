package io.stagehand.core.apply;

import io.stagehand.core.ApplyOptions;
import io.stagehand.core.StagehandException;

/**
 * Thrown by an {@link ActionHandler} for a failure that another attempt may cure (a timeout of a
 * remote call, a busy host). The apply retries it with back-off up to
 * {@link ApplyOptions#maxAttempts()}; any other exception fails the action at once.
 */
public class RetryableActionException extends StagehandException {
  private static final long serialVersionUID = 1L;

  public RetryableActionException(String message) {
    super(message);
  }

  public RetryableActionException(String message, Throwable cause) {
    super(message, cause);
  }
}
