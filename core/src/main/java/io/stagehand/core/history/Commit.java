package io.stagehand.core.history;

import io.stagehand.core.spi.CommitContent;
import io.stagehand.core.spi.CommitDraft;
import org.immutables.value.Value.Immutable;

/**
 * The durable record of one finished action: its diff (resolved and own input changes, every
 * connection touching the resource before and after), the tag and index of its apply, its position
 * in the commit log, its time and, for a revert, what it reverts. Commits are never edited.
 */
@Immutable
public abstract class Commit extends CommitContent {
  Commit() {}

  public abstract CommitPosition position();

  /** The draft placed at {@code position}. */
  public static Commit of(CommitDraft draft, CommitPosition position) {
    return new Builder().from(draft).position(position).build();
  }

  /** Builds a {@link Commit}. */
  public static final class Builder extends ImmutableCommit.Builder {
    Builder() {}
  }
}
