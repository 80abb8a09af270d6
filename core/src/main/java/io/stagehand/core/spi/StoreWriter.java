package io.stagehand.core.spi;

import io.stagehand.core.LeaseLostException;
import io.stagehand.core.history.Commit;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The writes of one unit of work ({@link Store#write}); reads see the unit's own writes. */
public interface StoreWriter extends StoreReader {
  /**
   * Fences this unit of work with the apply lease of {@code epoch} ({@link ApplyLease#epoch()}): throws
   * {@link io.stagehand.core.LeaseLostException} if the store's lease is no longer that one, so that the
   * unit of work writes nothing. Checked inside the unit of work, atomically with its writes.
   */
  void requireLease(long epoch);

  /** Inserts or replaces one applied resource (its incoming connections included). */
  void putResource(Resource resource);

  void deleteResource(ResourceId id);

  /** Appends entries whose sequences continue {@link StagedLog#position()} without gaps. */
  void appendStaged(List<StagedEntry> entries);

  /** Drops the staged entries with these sequence numbers; unknown ones are ignored. */
  void removeStaged(Collection<Long> sequences);

  /**
   * Drops what one committed action consumed: {@code sequences} are all of {@code owner}'s staged
   * entries up to {@code upTo}. From the end of this unit of work on, reads must not return them.
   * A store may record the mark {@code (owner, upTo)} and drop the entries later, when that costs
   * less than dropping them one action at a time (the JDBC store does, until the apply lease ends).
   */
  default void consumeStaged(ResourceId owner, long upTo, Collection<Long> sequences) {
    removeStaged(sequences);
  }

  void addPending(Collection<ResourceId> ids);

  void removePending(Collection<ResourceId> ids);

  /** Records reactions owed (a reaction already owed by its target stays as it is). */
  void addPendingReactions(Collection<io.stagehand.core.spi.PendingReaction> reactions);

  /** Clears the reactions {@code target} owes among {@code reactions} (names); all of them if empty. */
  void removePendingReactions(ResourceId target, Collection<String> reactions);

  /**
   * Writes the record of an apply, replacing the one of the same tag if there is one (an apply writes
   * its record when it starts and again when it ends); a new tag comes last in {@link StoreReader#applies()}.
   */
  void putApply(io.stagehand.core.history.ApplyRecord record);

  /** Appends one commit at the next position of this store's variant and returns it. */
  Commit appendCommit(CommitDraft draft);

  /**
   * Appends commits in order, as {@link #appendCommit} would one by one, and returns them in that
   * order. An apply appends a whole group with it, so a store that can place many at once should.
   */
  default List<Commit> appendCommits(List<CommitDraft> drafts) {
    List<Commit> out = new ArrayList<>(drafts.size());
    for (CommitDraft d : drafts) {
      out.add(appendCommit(d));
    }
    return out;
  }
}
