package io.stagehand.core.spi;

import io.stagehand.core.model.ResourceId;
import java.util.List;
import java.util.Set;

/**
 * The pending user edits, in order, plus the set of pending resources: those whose desired state
 * may still differ from their applied one although no staged entry names them (an emitter's change
 * was applied, their own action failed).
 */
public interface StagedLog {
  /** The sequence number of the last entry ever staged, 0 if none; never goes back. */
  long position();

  /** The entries still staged, by sequence number. */
  List<StagedEntry> entries();

  /** The resources marked pending. */
  Set<ResourceId> pending();

  /** The reactions owed: triggered by a committed action, not yet run; sorted by target and reaction. */
  List<io.stagehand.core.spi.PendingReaction> pendingReactions();
}
