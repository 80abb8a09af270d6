package io.stagehand.core.internal.history;

import com.google.common.collect.Iterables;
import io.stagehand.core.history.Tag;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The edits that lead from the desired state to a rollback's targets, each with the apply it undoes, in
 * an order that validates: creates, disconnects, unsets, sets (places, labels and protection too),
 * connects, event additions, removes.
 */
final class RollbackEdits {
  /** The edits in staging order, and the apply each undoes. */
  record Batch(List<Edit> edits, Map<Edit, Tag> revertOf) {
    boolean isEmpty() {
      return edits.isEmpty();
    }

    /** The apply {@code edit}, one of this batch's edits, undoes. */
    Optional<Tag> revertOf(Edit edit) {
      return Optional.ofNullable(revertOf.get(edit));
    }
  }

  private final RollbackTargets targets;
  private final RollbackFindings findings;
  private final List<Edit> creates = new ArrayList<>();
  private final List<Edit> disconnects = new ArrayList<>();
  private final List<Edit> unsets = new ArrayList<>();
  private final List<Edit> sets = new ArrayList<>();
  private final List<Connection> connects = new ArrayList<>();
  private final List<Edit> eventAdds = new ArrayList<>();
  private final List<Edit> removes = new ArrayList<>();
  private final Map<Edit, Tag> revertOf = new IdentityHashMap<>();

  private RollbackEdits(RollbackTargets targets, RollbackFindings findings) {
    this.targets = targets;
    this.findings = findings;
  }

  /**
   * The edits that reach {@code targets}; what cannot be restored goes to {@code findings} (a location
   * that no longer exists refuses a STRICT rollback; so does a resource now of another kind, in any mode).
   */
  static Batch of(RollbackTargets targets, RollbackFindings findings) {
    RollbackEdits e = new RollbackEdits(targets, findings);
    targets.states().forEach(e::restore);
    e.connects.addAll(targets.restoredInto());
    return e.inOrder();
  }

  private void restore(ResourceId id, Optional<Resource> target) {
    Tag tag = targets.tagOf(id);
    Optional<Resource> cur = targets.current(id);
    if (cur.isEmpty() && target.isEmpty()) {
      return;
    }
    if (target.isEmpty()) {
      if (targets.undoesImport(id)) {
        // it came by an import: it leaves as it came, and what it is in reality stays
        add(removes, new Edit.Forget(id), tag);
        return;
      }
      if (cur.get().isProtected() && findings.mayRemoveProtected(id)) {
        add(sets, new Edit.Protect(id, false), tag);
      }
      add(removes, new Edit.Remove(id), tag);
      return;
    }
    Resource t = target.get();
    Optional<ResourceId> location = location(id, t);
    if (cur.isEmpty()) {
      create(id, t, location, tag);
    } else {
      update(id, cur.get(), t, location, tag);
    }
  }

  /** The target's location, or none if it will not exist (refused, in STRICT mode). */
  private Optional<ResourceId> location(ResourceId id, Resource t) {
    Optional<ResourceId> location = t.location();
    if (location.isPresent() && !targets.willExist(location.get())) {
      findings.problem(findings.missing("restoring " + id + "'s location", location.get()));
      findings.refuseOnConflicts();
      return Optional.empty();
    }
    return location;
  }

  private void create(ResourceId id, Resource t, Optional<ResourceId> location, Tag tag) {
    Edit.Create create = new Edit.Create(id, t.kind(), new TreeMap<>(t.ownInputs()),
        new TreeSet<>(t.sensitiveInputs()), location, t.labels(), t.isProtected());
    // a forgotten resource was never removed in reality: it comes back by an import
    // a forgotten resource is still there, with its outputs; one that was removed runs again and returns new ones
    Edit restore = targets.undoesForget(id)
        ? new Edit.Import(create, new TreeMap<>(t.outputs()), new java.util.TreeSet<>(t.sensitiveOutputs())) : create;
    add(creates, restore, tag);
    connects.addAll(t.incoming());
    for (Event ev : t.events()) {
      if (targets.willExist(ev.source())) {
        add(eventAdds, new Edit.AddEvent(ev), tag);
      } else {
        findings.note("left out: restoring the event " + ev + " needs " + ev.source() + ", which no longer exists");
      }
    }
  }

  private void update(ResourceId id, Resource c, Resource t, Optional<ResourceId> location, Tag tag) {
    if (!c.kind().equals(t.kind())) {
      throw findings.refusal(id + " is now of kind " + c.kind() + " but was " + t.kind()
          + "; remove it and apply that first");
    }
    for (Connection in : c.incoming()) {
      if (!Iterables.any(t.incoming(), in::sameEnds)) {
        add(disconnects, new Edit.Disconnect(in), tag);
      }
    }
    for (String input : c.ownInputs().keySet()) {
      if (!t.ownInputs().containsKey(input)) {
        add(unsets, new Edit.UnsetInput(id, input), tag);
      }
    }
    t.ownInputs().forEach((input, value) -> {
      if (!value.equals(c.ownInputs().get(input))) {
        add(sets, new Edit.SetInput(id, input, value), tag);
      }
    });
    for (Connection in : t.incoming()) {
      if (!Iterables.any(c.incoming(), in::sameEnds)) {
        connects.add(in);
      }
    }
    if (!c.location().equals(location)) {
      add(sets, new Edit.Place(id, location), tag);
    }
    if (c.isProtected() != t.isProtected()) {
      add(sets, new Edit.Protect(id, t.isProtected()), tag);
    }
    updateEventsAndLabels(id, c, t, tag);
  }

  private void updateEventsAndLabels(ResourceId id, Resource c, Resource t, Tag tag) {
    for (Event ev : c.events()) {
      if (!t.events().contains(ev)) {
        add(disconnects, new Edit.RemoveEvent(ev), tag);
      }
    }
    for (Event ev : t.events()) {
      if (!c.events().contains(ev) && targets.willExist(ev.source())) {
        add(eventAdds, new Edit.AddEvent(ev), tag);
      }
    }
    for (String label : c.labels()) {
      if (!t.labels().contains(label)) {
        add(sets, new Edit.Label(id, label, false), tag);
      }
    }
    for (String label : t.labels()) {
      if (!c.labels().contains(label)) {
        add(sets, new Edit.Label(id, label, true), tag);
      }
    }
  }

  private Batch inOrder() {
    List<Edit> edits = new ArrayList<>();
    edits.addAll(creates);
    edits.addAll(disconnects);
    edits.addAll(unsets);
    edits.addAll(sets);
    for (Connection c : orderConnects()) {
      add(edits, new Edit.Connect(c), targets.tagOf(c));
    }
    edits.addAll(eventAdds);
    edits.addAll(removes);
    return new Batch(List.copyOf(edits), revertOf);
  }

  /**
   * The connections to make, ordered so that one out of an input that is itself connected comes after the
   * connection into that input (a connection needs its emitter input to exist).
   */
  private List<Connection> orderConnects() {
    List<Connection> pending = new ArrayList<>(new TreeSet<>(connects));
    List<Connection> ordered = new ArrayList<>();
    Set<InputRef> fed = new HashSet<>();
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (Iterator<Connection> it = pending.iterator(); it.hasNext(); ) {
        Connection c = it.next();
        if (targets.hasInput(c.emitter()) || fed.contains(c.emitter())) {
          ordered.add(c);
          fed.add(c.receiver());
          it.remove();
          progress = true;
        }
      }
      if (!progress) {
        ordered.addAll(pending); // staging will name what is wrong
        break;
      }
    }
    return ordered;
  }

  private void add(List<Edit> list, Edit e, Tag tag) {
    list.add(e);
    revertOf.put(e, tag);
  }
}
