package io.stagehand.store.memory;

import io.stagehand.core.history.Commit;
import io.stagehand.core.spi.CommitDraft;
import io.stagehand.core.spi.CommitLog;


/** A commit log held in memory; appends and undo run under the store's write lock. */
abstract class MemoryCommitLog implements CommitLog {
  abstract Commit append(CommitDraft draft);

  /** Undoes the last append, which must be {@code commit}. */
  abstract void removeLast(Commit commit);
}
