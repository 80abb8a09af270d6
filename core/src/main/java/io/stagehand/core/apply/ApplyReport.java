package io.stagehand.core.apply;

import io.stagehand.core.history.Tag;
import io.stagehand.core.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.immutables.value.Value.Immutable;
import org.immutables.value.Value.Lazy;

/** What one apply did: the plan it ran, and per action its outcome, attempts and duration. */
@Immutable
public abstract class ApplyReport {
  ApplyReport() {}

  public abstract Tag tag();

  public abstract Plan plan();

  /** One result per planned action, in plan order. */
  public abstract List<ActionResult> results();

  public abstract Instant started();

  public abstract Instant finished();

  /** True if the apply was cancelled before it finished. */
  public abstract boolean cancelled();

  /**
   * Earlier applies this one found interrupted: their process stopped before they ended (their
   * records say so now, in {@code Orchestrator.applies()}).
   */
  public abstract List<Tag> interruptedApplies();

  @Lazy
  public boolean succeeded() {
    return results().stream().allMatch(r -> r.outcome() == ActionOutcome.SUCCEEDED);
  }

  public long count(ActionOutcome outcome) {
    return results().stream().filter(r -> r.outcome() == outcome).count();
  }

  public Duration duration() {
    return Duration.between(started(), finished());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ApplyReport}. */
  public static final class Builder extends ImmutableApplyReport.Builder {
    Builder() {}
  }

  /**
   * One line per action in plan order, as the scenario format prints an apply, then for a partial
   * apply one {@code left out: <id> (<why>)} line per change it left staged.
   */
  public String render() {
    StringBuilder b = new StringBuilder();
    if (results().isEmpty()) {
      b.append("nothing to do\n");
    }
    results().forEach(r -> b.append(r).append('\n'));
    plan().leftOut().forEach((id, why) -> b.append("left out: ").append(id).append(" (").append(why).append(")\n"));
    return b.toString().stripTrailing();
  }
}
