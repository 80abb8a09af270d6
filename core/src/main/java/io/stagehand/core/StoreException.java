package io.stagehand.core;

/**
 * A store could not do what was asked of it (the database is unreachable, the schema is missing or
 * newer than this library, the stored data is inconsistent); the store's transaction was rolled back.
 */
public class StoreException extends StagehandException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
