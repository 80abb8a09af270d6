package io.stagehand.core;

import io.stagehand.core.apply.ApplyListener;
import io.stagehand.core.history.Tag;
import io.stagehand.core.plan.Plan;
import io.stagehand.core.plan.Selection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value.Check;
import org.immutables.value.Value.Default;
import org.immutables.value.Value.Immutable;

/** How to run one apply; every option has a sensible default. */
@Immutable
public abstract class ApplyOptions {
  ApplyOptions() {}

  /** The tag shared by this apply's commits; a fresh {@code apply-<time>} tag by default. */
  public abstract Optional<Tag> tag();

  /** Who runs the apply, kept in its {@link io.stagehand.core.history.ApplyRecord}. */
  public abstract Optional<String> author();

  /** What the apply is for, kept in its {@link io.stagehand.core.history.ApplyRecord}. */
  public abstract Optional<String> description();

  /** At most this many actions run at once; 8 by default. */
  @Default
  public int parallelism() {
    return 8;
  }

  /** Which ready action starts first when several could. */
  public enum Order {
    /** The action with the longest path of dependents after it, so the apply ends soonest. */
    LONGEST_PATH_FIRST,
    /** Plan order (wave, then resource id): with parallelism 1 the commit order is the plan's. */
    PLAN_ORDER
  }

  /** {@link Order#LONGEST_PATH_FIRST} by default. */
  @Default
  public Order order() {
    return Order.LONGEST_PATH_FIRST;
  }

  /** An attempt that runs longer fails (and its handler is interrupted); no limit by default. */
  public abstract Optional<Duration> actionTimeout();

  /** Attempts per action for failures marked retryable, the first included; 3 by default. */
  @Default
  public int maxAttempts() {
    return 3;
  }

  /** The wait before the first retry, doubled for each further one; 200 ms by default. */
  @Default
  public Duration initialBackoff() {
    return Duration.ofMillis(200);
  }

  /** The longest wait between retries; 10 s by default. */
  @Default
  public Duration maxBackoff() {
    return Duration.ofSeconds(10);
  }

  /**
   * Stop starting actions at the first failure; by default (false) independent branches go on and
   * only the dependents of a failure are skipped.
   */
  @Default
  public boolean failFast() {
    return false;
  }

  /**
   * How long to wait for another apply's lease; by default an apply fails at once with
   * {@link ApplyInProgressException} when another one runs.
   */
  public abstract Optional<Duration> leaseWait();

  /**
   * At most this many actions run at once on one location (the resource's, or for a removal the one
   * it had); 1 by default: never two actions on one host at once.
   */
  @Default
  public int maxPerLocation() {
    return 1;
  }

  /** At most this many actions of a kind run at once; kinds not named are limited only overall. */
  public abstract java.util.Map<String, Integer> maxPerKind();

  /** The part of the staged changes to apply; everything by default. What is left out stays staged. */
  @Default
  public Selection selection() {
    return Selection.all();
  }

  /** Listeners of this apply's progress, besides the orchestrator's own. */
  public abstract List<ApplyListener> listeners();

  public static ApplyOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ApplyOptions}. */
  public static final class Builder extends ImmutableApplyOptions.Builder {
    Builder() {}

    /** The tag, by name. */
    public Builder tag(String tag) {
      tag(Tag.of(tag));
      return this;
    }
  }

  @Check
  void check() {
    java.util.List<String> problems = new java.util.ArrayList<>();
    if (parallelism() < 1) {
      problems.add("parallelism must be at least 1, got " + parallelism());
    }
    if (maxPerLocation() < 1) {
      problems.add("maxPerLocation must be at least 1, got " + maxPerLocation());
    }
    maxPerKind().forEach((kind, n) -> {
      if (n == null || n < 1) {
        problems.add("maxPerKind for " + kind + " must be at least 1, got " + n);
      }
    });
    if (maxAttempts() < 1) {
      problems.add("maxAttempts must be at least 1, got " + maxAttempts());
    }
    actionTimeout().filter(d -> d.isNegative() || d.isZero())
        .ifPresent(d -> problems.add("actionTimeout must be positive, got " + d));
    if (initialBackoff().isNegative() || maxBackoff().isNegative()) {
      problems.add("back-off durations must not be negative");
    }
    leaseWait().filter(Duration::isNegative).ifPresent(d -> problems.add("leaseWait must not be negative"));
    if (!problems.isEmpty()) {
      throw new InvalidInputException("invalid apply options: " + String.join("; ", problems));
    }
  }
}
