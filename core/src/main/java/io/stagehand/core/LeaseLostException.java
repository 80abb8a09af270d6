package io.stagehand.core;

/**
 * The apply lease a unit of work was fenced with is no longer the store's current one: it expired and
 * another apply took it, or an operator released it by force. Nothing of that unit of work was
 * written.
 */
public class LeaseLostException extends StoreException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message);
  }
}
