package io.stagehand.core.spi;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.history.Commit;
import io.stagehand.core.history.CommitPosition;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.ResourceId;
import java.util.List;
import java.util.Optional;

/**
 * The history of applied actions. Both variants answer every query; "apply order" means applies in
 * the order they ran (by the first commit of each tag) and the commits of one apply by index.
 */
public interface CommitLog {
  CommitLogVariant variant();

  /** The tags of all applies that committed something, in the order they ran. */
  List<Tag> tags();

  /** The commits of one apply, by index; empty for an unknown tag. */
  List<Commit> ofTag(Tag tag);

  /** The commits of one resource, oldest first. */
  List<Commit> ofResource(ResourceId id);

  /** Up to {@code limit} commits in apply order, skipping the first {@code offset}. */
  List<Commit> page(long offset, int limit);

  Optional<Commit> get(CommitPosition position);

  long size();
}
