package io.stagehand.core.model;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;
import java.util.Optional;

/**
 * One input's change: {@code from} and {@code to}, each absent when the input has no value. A
 * sensitive change prints its sides as {@code (sensitive)}. With {@code knownAfterApply}, the new
 * value comes from an output its emitter returns only in the apply: {@code to} is absent and prints
 * as {@code (known after apply)}.
 */
public record Change(String input, Optional<Value> from, Optional<Value> to, boolean sensitive,
    boolean knownAfterApply) {
  /** How a value known only after apply prints. */
  public static final String KNOWN_AFTER_APPLY = "(known after apply)";

  public Change {
    Names.input(input);
    if (from == null || to == null) {
      throw new InvalidInputException("use Optional.empty() for an absent side of a change");
    }
    if (knownAfterApply && to.isPresent()) {
      throw new InvalidInputException("a change known after apply has no new value yet");
    }
  }

  /** A change whose new value is known. */
  public Change(String input, Optional<Value> from, Optional<Value> to, boolean sensitive) {
    this(input, from, to, sensitive, false);
  }

  /** A change of an input that is not sensitive. */
  public Change(String input, Optional<Value> from, Optional<Value> to) {
    this(input, from, to, false);
  }

  /** The seed's notation for one side: the compact JSON, or {@code None} when absent. */
  public static String show(Optional<Value> side) {
    return side.map(Value::toJson).orElse("None");
  }

  private String side(Optional<Value> v) {
    return sensitive && v.isPresent() ? "(sensitive)" : show(v);
  }

  @Override
  public String toString() {
    return input + ": " + side(from) + " -> " + (knownAfterApply ? KNOWN_AFTER_APPLY : side(to));
  }
}
