package io.stagehand.core.spi;

import org.immutables.value.Value.Immutable;

/**
 * A commit before the log has placed it: the log assigns the position when it appends the draft,
 * inside the unit of work that also updates the applied state.
 */
@Immutable
public abstract class CommitDraft extends CommitContent {
  CommitDraft() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CommitDraft}. */
  public static final class Builder extends ImmutableCommitDraft.Builder {
    Builder() {}
  }
}
