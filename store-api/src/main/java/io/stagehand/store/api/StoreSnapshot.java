package io.stagehand.store.api;

import io.stagehand.core.history.Commit;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.PendingReaction;
import io.stagehand.core.spi.StagedEntry;
import io.stagehand.core.spi.Store;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything a store holds, read in one go, so that a test can assert that a refused call changed
 * nothing: equal snapshots before and after.
 */
public record StoreSnapshot(
    List<Resource> resources,
    long stagedPosition,
    List<StagedEntry> staged,
    Set<ResourceId> pending,
    List<io.stagehand.core.spi.PendingReaction> pendingReactions,
    List<Tag> tags,
    List<Commit> commits) {

  public static StoreSnapshot of(Store store) {
    return store.read(r -> new StoreSnapshot(
        r.state().all(),
        r.staged().position(),
        r.staged().entries(),
        new TreeSet<>(r.staged().pending()),
        r.staged().pendingReactions(),
        r.commits().tags(),
        r.commits().page(0, Integer.MAX_VALUE)));
  }
}
