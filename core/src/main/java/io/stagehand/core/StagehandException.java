package io.stagehand.core;

/**
 * The root of every exception Stagehand throws on purpose, so that an embedding program can catch
 * one type and know it came from the library.
 */
public class StagehandException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StagehandException(String message) {
    super(message);
  }

  public StagehandException(String message, Throwable cause) {
    super(message, cause);
  }
}
