package io.stagehand.core;

import java.util.Optional;

/** One input's change: {@code from} and {@code to}, each absent when the input has no value. */
public record Change(String input, Optional<Value> from, Optional<Value> to) {
  public Change {
    Names.input(input);
    if (from == null || to == null) {
      throw new InvalidInputException("use Optional.empty() for an absent side of a change");
    }
  }

  /** The seed's notation for one side: the compact JSON, or {@code None} when absent. */
  public static String show(Optional<Value> side) {
    return side.map(Value::toJson).orElse("None");
  }

  @Override
  public String toString() {
    return input + ": " + show(from) + " -> " + show(to);
  }
}
