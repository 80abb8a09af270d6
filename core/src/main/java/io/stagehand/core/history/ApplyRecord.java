package io.stagehand.core.history;

import io.stagehand.core.model.ResourceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value.Default;
import org.immutables.value.Value.Immutable;

/**
 * The record of one apply, kept by the store whether it succeeded, failed or was cut short, as Helm's
 * release history and Pulumi's update history keep theirs. Written when the apply starts (as
 * {@link ApplyOutcome#RUNNING}) and again when it ends; the next apply marks a record it finds still
 * running as {@link ApplyOutcome#INTERRUPTED}. Error texts have sensitive values redacted, as the
 * apply report has them.
 */
@Immutable
public abstract class ApplyRecord {
  ApplyRecord() {}

  public abstract Tag tag();

  public abstract Instant started();

  /** When it ended; absent while it runs, and for an interrupted apply. */
  public abstract Optional<Instant> finished();

  public abstract ApplyOutcome outcome();

  /** How many actions its plan had. */
  @Default
  public int planned() {
    return 0;
  }

  @Default
  public int succeeded() {
    return 0;
  }

  @Default
  public int failed() {
    return 0;
  }

  @Default
  public int skipped() {
    return 0;
  }

  /** Actions not started because the apply was cancelled or stopped at its first failure. */
  @Default
  public int notStarted() {
    return 0;
  }

  /** One line per failed action, as the report prints it: {@code RUN db failed: <error>}. */
  public abstract List<String> failures();

  /** Why the apply itself failed, if it did (its store failed, say), beyond its actions' failures. */
  public abstract Optional<String> error();

  /**
   * The resources its plan had an action for, kept while it runs (one write per apply): if its
   * process stops, the next apply knows which handlers may have run without a commit
   * ({@code ActionContext.mayHaveRun()}). For an interrupted apply, those not committed since; empty
   * once it ended.
   */
  public abstract List<ResourceId> plannedResources();

  /**
   * True while the record matters to the next apply: its apply runs, or was interrupted and some
   * action it planned has not been committed since.
   */
  public boolean isOpen() {
    return outcome() == ApplyOutcome.RUNNING || !plannedResources().isEmpty();
  }

  /** How many times it was resumed under its tag after being interrupted. */
  @Default
  public int resumes() {
    return 0;
  }

  /**
   * The index of the first commit of its latest run: 0, or for a resumed apply the commits its tag
   * had when it resumed. Only the commits from there on settle the actions of that run if it too is
   * interrupted. The counts ({@link #planned()}, {@link #succeeded()}, ...) are those of the latest
   * run as well.
   */
  @Default
  public int firstIndex() {
    return 0;
  }

  /** Who ran it, as {@code ApplyOptions.author} gave it. */
  public abstract Optional<String> author();

  /** What it was for, as {@code ApplyOptions.description} gave it. */
  public abstract Optional<String> description();

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ApplyRecord}. */
  public static final class Builder extends ImmutableApplyRecord.Builder {
    Builder() {}
  }

  /** One line: {@code t1 SUCCEEDED 3 planned, 3 succeeded, 0 failed, 0 skipped, 0 not started}. */
  @Override
  public String toString() {
    return tag() + " " + outcome() + " " + planned() + " planned, " + succeeded() + " succeeded, " + failed()
        + " failed, " + skipped() + " skipped, " + notStarted() + " not started"
        + author().map(a -> ", by " + a).orElse("") + description().map(d -> ": " + d).orElse("");
  }
}
