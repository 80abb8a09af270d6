package io.stagehand.core.internal.stage;

import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The staged diffs of a desired state: for each resource, its applied definition against its
 * resolved desired one, with the connections touching it before and after, and whether it is pending.
 * Only the resources the change can reach are diffed, so their cost follows the size of the change.
 */
public final class StagedDiffs {
  private final Overlay overlay;
  private final InputResolver resolver;
  private final Set<ResourceId> pending;

  public StagedDiffs(Overlay overlay, InputResolver resolver, Set<ResourceId> pending) {
    this.overlay = overlay;
    this.resolver = resolver;
    this.pending = pending;
  }

  /** The diff from applied to desired of one resource. */
  public Diff diff(ResourceId id) {
    StateStore applied = overlay.applied();
    return Diff.builder()
        .resource(id)
        .before(applied.get(id))
        .after(resolver.resolved(id))
        .connectionsBefore(touchingApplied(applied, id))
        .connectionsAfter(overlay.touching(id))
        .pending(pending.contains(id))
        .build();
  }

  /** The diffs of every affected resource that has an action, sorted by id. */
  public SortedMap<ResourceId, Diff> diffs() {
    TreeMap<ResourceId, Diff> out = new TreeMap<>();
    for (ResourceId id : resolver.affected()) {
      Diff d = diff(id);
      if (d.action().isPresent()) {
        out.put(id, d);
      }
    }
    return out;
  }

  /** Every connection touching {@code id} in the applied state, unsorted (the diff's builder sorts them). */
  public static List<Connection> touchingApplied(StateStore applied, ResourceId id) {
    Optional<Resource> r = applied.get(id);
    if (r.isEmpty()) {
      return List.of();
    }
    List<Connection> out = new ArrayList<>(r.get().incoming());
    out.addAll(applied.outgoing(id));
    return out;
  }
}
