package io.stagehand.core.spi;

import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Action;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.ResourceId;
import java.time.Instant;
import java.util.Optional;

/**
 * What every commit records besides its position: shared by {@link CommitDraft}, which an apply
 * hands to the commit log, and {@link Commit}, which the log gives back placed at a position.
 */
public abstract class CommitContent {
  protected CommitContent() {}

  /** The apply this commit belongs to. */
  public abstract Tag tag();

  /** The commit's index inside its apply, from 0, in the order the commits were written. */
  public abstract int index();

  /** The finished action's diff, with every connection touching the resource before and after. */
  public abstract Diff diff();

  public abstract Action action();

  /** The custom actions of reactions carried out with this commit's action (all of a REACT's). */
  public abstract java.util.List<String> reactions();

  /** The action as history prints it: the custom names for a reaction. */
  public String name() {
    return action() == Action.REACT ? String.join("+", reactions()) : action().name();
  }

  public abstract Instant time();

  /** For a commit made by a revert or rollback: the tag of the apply it undoes. */
  public abstract Optional<Tag> revertOf();

  public ResourceId resource() {
    return diff().resource();
  }

  public String kind() {
    return diff().kind();
  }
}
