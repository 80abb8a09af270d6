package io.stagehand.core;

import io.stagehand.core.model.Inputs;

/**
 * A handler asked {@link Inputs} for an input that is not set, or as a type it does not have. The
 * message names the resource, the input and both types, never the value.
 */
public class InputTypeException extends StagehandException {
  private static final long serialVersionUID = 1L;

  public InputTypeException(String message) {
    super(message);
  }
}
