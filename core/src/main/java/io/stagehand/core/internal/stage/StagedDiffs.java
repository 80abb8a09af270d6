package io.stagehand.core.internal.stage;

import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.StateStore;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The staged diffs of a desired state: for each resource, its applied definition against its
 * resolved desired one, with the connections touching it before and after, and whether it is pending.
 * Only the resources the change can reach are diffed, so their cost follows the size of the change;
 * a diff sorts its connections only when they are read.
 */
public final class StagedDiffs {
  private static final ApiAccess.Diffs DIFFS = ApiAccess.diffs();

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
    int n = resolver.numbering().number(id);
    return diff(id, n < 0 ? resolver.resolved(id).orElse(null) : resolver.resolved(n));
  }

  private Diff diff(ResourceId id, Resource desired) {
    StateStore applied = overlay.applied();
    Optional<Resource> was = applied.get(id);
    boolean recordOnly = overlay.isRecordOnly(id)
        && (!overlay.isAdopted(id) || onlyOwnInputsChanged(was.orElse(null), desired));
    // both sides' emitted connections are snapshots: the applied store's set, or the overlay's new list
    return DIFFS.lazy(id, was, Optional.ofNullable(desired), applied.outgoing(id), overlay.emitted(id),
        pending.contains(id), recordOnly, overlay.isTouched(id), overlay.isReplaced(id));
  }

  /**
   * Whether an adoption records nothing but what was found: the resource's connections and the values
   * they carry are as applied, and no emitter of it changes at all (a change upstream, staged too, even
   * of metadata alone, whose handler may move an output, must reach it through its own handler).
   */
  private boolean onlyOwnInputsChanged(Resource applied, Resource desired) {
    if (applied == null || desired == null || !desired.unknownInputs().isEmpty()
        || !applied.incoming().equals(desired.incoming())) {
      return false;
    }
    for (io.stagehand.core.model.Connection c : desired.incoming()) {
      String input = c.receiver().input();
      if (!java.util.Objects.equals(applied.resolvedInputs().get(input), desired.resolvedInputs().get(input))) {
        return false;
      }
      ResourceId e = c.emitter().resource();
      if (overlay.isTouched(e) || overlay.isReplaced(e)
          || !resolver.resolved(e).equals(overlay.applied().get(e))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The diff of every affected resource that has an action, by its number in the resolver's
   * {@link InputResolver#numbering() numbering}; null for the resources without one.
   */
  public Diff[] byNumber() {
    Numbering numbers = resolver.numbering();
    Diff[] out = new Diff[numbers.size()];
    for (int n = 0; n < out.length; n++) {
      Diff d = diff(numbers.id(n), resolver.resolved(n));
      if (d.action().isPresent()) {
        out[n] = d;
      }
    }
    return out;
  }

  /** The diffs of every affected resource that has an action, sorted by id. */
  public SortedMap<ResourceId, Diff> diffs() {
    TreeMap<ResourceId, Diff> out = new TreeMap<>();
    for (Diff d : byNumber()) {
      if (d != null) {
        out.put(d.resource(), d);
      }
    }
    return out;
  }

  /** The diff of an applied resource that stays as it is: what a reaction of it changes. */
  public static Diff unchanged(StateStore applied, Resource r, boolean pending) {
    return DIFFS.lazy(r.id(), Optional.of(r), Optional.of(r), applied.outgoing(r.id()), applied.outgoing(r.id()), pending,
        false, false, false);
  }
}
