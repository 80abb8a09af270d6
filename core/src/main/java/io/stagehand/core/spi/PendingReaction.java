package io.stagehand.core.spi;

import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;
import io.stagehand.core.model.ResourceId;

/**
 * A reaction a committed action triggered and that has not run yet: {@code target} owes
 * {@code reaction}, for {@code reason} (e.g. {@code reacts to config UPDATE with restart}). The
 * trigger's commit records it and the target's commit clears it, so a reaction that fails, is
 * skipped, or is cut off by a crash is planned again, with its reason, until it runs or is
 * discarded.
 */
public record PendingReaction(ResourceId target, String reaction, String reason) {
  public PendingReaction {
    if (target == null || reason == null) {
      throw new InvalidInputException("a pending reaction needs a target, a reaction and a reason");
    }
    Names.check("reaction", reaction, InputLimits.MAX_NAME_LENGTH);
  }
}
