package io.stagehand.core.apply;

import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.time.Duration;
import java.util.Optional;
import org.immutables.value.Value.Immutable;

/** How one action of an apply ended: outcome, attempts, duration, error, and its commit. */
@Immutable
public abstract class ActionResult {
  ActionResult() {}

  public abstract ResourceId resource();

  public abstract Action action();

  /** The action's name: the custom names for a reaction, else the action. */
  @org.immutables.value.Value.Default
  public String name() {
    return action().name();
  }

  public abstract ActionOutcome outcome();

  /** Handler calls made, 0 if it never started. */
  public abstract int attempts();

  /** From the first start to the commit or the last failure; zero if it never started. */
  public abstract Duration duration();

  /** Why it failed, was skipped or cancelled. */
  public abstract Optional<String> error();

  /** Where its commit sits, if it succeeded. */
  public abstract Optional<CommitPosition> commit();

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ActionResult}. */
  public static final class Builder extends ImmutableActionResult.Builder {
    Builder() {}
  }

  /** {@code UPDATE haproxy ok}, {@code ... failed: <error>}, {@code ... skipped: <id> failed}. */
  @Override
  public String toString() {
    String head = name() + " " + resource() + " ";
    switch (outcome()) {
      case SUCCEEDED:
        return head + "ok";
      case FAILED:
        return head + "failed: " + error().orElse("unknown error");
      case SKIPPED:
        // the error of a skipped action says why: "skipped: w1 failed"
        return head + error().orElse("skipped");
      default:
        return head + "cancelled";
    }
  }
}
