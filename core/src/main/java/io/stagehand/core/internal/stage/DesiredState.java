package io.stagehand.core.internal.stage;

import com.google.common.collect.Iterables;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.StateStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.function.Supplier;

/**
 * The desired state: the applied state with staged edits replayed into an {@link Overlay}, so that
 * its cost follows the size of the change, not of the deployment. This class is the replay: it
 * checks each edit against the desired state (the rules between resources are in {@link EditRules})
 * and then has the overlay make the change. Resolved inputs ({@link InputResolver}) and diffs
 * ({@link StagedDiffs}) are computed on demand for the resources the change can reach.
 */
public final class DesiredState {
  private final Overlay overlay;
  private final Set<ResourceId> pending;
  private final InputResolver resolver;
  private final StagedDiffs diffs;

  public DesiredState(StateStore applied, Collection<ResourceId> pending) {
    this.overlay = new Overlay(applied, pending);
    this.pending = Set.copyOf(pending);
    this.resolver = new InputResolver(overlay);
    this.diffs = new StagedDiffs(overlay, resolver, this.pending);
  }

  /**
   * The resources marked pending when this state was replayed. Staging never marks one, and a kept
   * replay is used only while the store is unchanged, so this is the store's pending set still.
   */
  public Set<ResourceId> pending() {
    return pending;
  }

  /**
   * Reads the applied state through {@code view} from now on: a view of the same store in a later
   * unit of work, when nothing changed in between.
   */
  public DesiredState readingFrom(StateStore view) {
    overlay.readingFrom(view);
    return this;
  }

  /** The definition (kind, own inputs, incoming connections) of a resource in the desired state. */
  public Optional<Resource> definition(ResourceId id) {
    return overlay.definition(id);
  }

  /** The resources placed on each of {@code locations} in the desired state ({@link Overlay#residents}). */
  public Map<ResourceId, SortedSet<ResourceId>> residents(Set<ResourceId> locations) {
    return overlay.residents(locations);
  }

  /** The desired connections emitted by {@code id}. */
  public SortedSet<Connection> outgoing(ResourceId id) {
    return overlay.outgoing(id);
  }

  /** The desired events whose source is {@code id}. */
  public SortedSet<Event> eventsFrom(ResourceId id) {
    return overlay.eventsFrom(id);
  }

  // ---------------------------------------------------------------- replay and validation

  /** Applies one new edit, or throws {@link InvalidInputException} and leaves this state as it was. */
  public void apply(Edit edit) {
    apply(edit, true);
  }

  /**
   * Applies one edit. A stored entry is replayed with {@code strict} false: once an apply has
   * committed some resources and consumed their entries, a connection edit of another resource may
   * name an emitter whose whole staged history is now in the applied state. Such an edit keeps its
   * net effect: a connection from an emitter that no longer exists was dropped by that emitter's
   * removal, so it is skipped; the other checks between resources (emitter input, cycles,
   * duplicates) held when the edit was staged and need not hold half-way through a replay.
   */
  public void apply(Edit edit, boolean strict) {
    resolver.clear();
    if (!(edit instanceof Edit.Adopt)) {
      overlay.editedOtherwise(edit.owner());
    }
    if (!strict && edit instanceof Edit.Connect c) {
      Connection conn = c.connection();
      Definition receiver = overlay.find(conn.receiver().resource());
      if (overlay.find(conn.emitter().resource()) != null && receiver != null) {
        Draft d = overlay.draft(receiver.id());
        List<Connection> replaced = new ArrayList<>(0);
        for (Connection old : d.incoming()) {
          if (conn.sameEnds(old)) {
            replaced.add(old);
          }
        }
        replaced.forEach(d::removeIncoming);
        d.addIncoming(conn);
      }
      overlay.seed(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.AddEvent ae) {
      Event e = ae.event();
      if (overlay.find(e.source()) != null && overlay.find(e.target()) != null) {
        overlay.draft(e.target()).addEvent(e);
      }
      overlay.seed(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.RemoveEvent re) {
      Definition target = overlay.find(re.event().target());
      if (target != null && target.events().contains(re.event())) {
        overlay.draft(target.id()).removeEvent(re.event());
      }
      overlay.seed(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.Place pl) {
      // the location may have been removed since; a location only groups actions for the limits
      existing(pl.id(), () -> "place " + pl.id());
      overlay.draft(pl.id()).place(pl.location());
      overlay.seed(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.Disconnect d) {
      Definition receiver = overlay.find(d.connection().receiver().resource());
      if (receiver != null && Iterables.any(receiver.incoming(), d.connection()::sameEnds)) {
        disconnect(d.connection());
      }
      overlay.seed(edit.owner());
      return;
    }
    if (edit instanceof Edit.Create c) {
      create(c, "create", null);
      overlay.recordOnly(c.id(), false);
    } else if (edit instanceof Edit.Import i) {
      create(i.create(), "import", i);
      overlay.recordOnly(i.id(), true);
    } else if (edit instanceof Edit.Touch t) {
      existing(t.id(), t::toString);
      refuseIfImported(t.id(), "touch", strict);
      overlay.touch(t.id());
    } else if (edit instanceof Edit.Adopt ad) {
      adopt(ad, strict);
    } else if (edit instanceof Edit.Replace rp) {
      Definition def = existing(rp.id(), rp::toString);
      if (strict && def.isProtected()) {
        throw new InvalidInputException("cannot replace " + rp.id() + ": it is protected, and a replacement "
            + "removes it first; stage unprotect " + rp.id() + " before replacing it");
      }
      refuseIfImported(rp.id(), "replace", strict);
      overlay.replace(rp.id());
    } else if (edit instanceof Edit.Forget f) {
      remove(f.id(), "forget", false);
      // a forget of a resource created in the log nets to nothing, as a removal does
      overlay.recordOnly(f.id(), overlay.applied().get(f.id()).isPresent());
    } else if (edit instanceof Edit.SetInput s) {
      Definition r = existing(s.id(), () -> "set " + s.id() + "." + s.input());
      EditRules.checkSet(s, r);
      Draft d = overlay.draft(s.id());
      d.ownForEdit().put(s.input(), s.value());
      d.resolvedForEdit().put(s.input(), s.value());
      if (s.sensitive() && !d.sensitiveInputs().contains(s.input())) {
        d.sensitiveForEdit().add(s.input());
      }
    } else if (edit instanceof Edit.UnsetInput u) {
      Definition r = existing(u.id(), () -> "unset " + u.id() + "." + u.input());
      if (!r.ownInputs().containsKey(u.input())) {
        throw new InvalidInputException("cannot unset " + u.id() + "." + u.input() + ": " + u.id()
            + " has no own input " + u.input()
            + (r.isConnected(u.input()) ? " (it is connected; disconnect it instead)" : ""));
      }
      Draft d = overlay.draft(u.id());
      d.ownForEdit().remove(u.input());
      d.resolvedForEdit().remove(u.input());
    } else if (edit instanceof Edit.Remove rm) {
      // a forget leaves reality alone, so protection does not stop it; a removal's is checked at staging
      remove(rm.id(), "remove", strict);
      overlay.recordOnly(rm.id(), false);
    } else if (edit instanceof Edit.Connect c) {
      connect(c.connection());
    } else if (edit instanceof Edit.Disconnect d) {
      disconnect(d.connection());
    } else if (edit instanceof Edit.AddEvent ae) {
      addEvent(ae.event());
    } else if (edit instanceof Edit.RemoveEvent re) {
      Definition target = existing(re.event().target(), re::toString);
      if (!target.events().contains(re.event())) {
        throw new InvalidInputException("cannot " + re + ": there is no such event");
      }
      overlay.draft(target.id()).removeEvent(re.event());
    } else if (edit instanceof Edit.Place pl) {
      existing(pl.id(), pl::toString);
      pl.location().ifPresent(l -> checkLocation(pl.id(), l, pl.toString()));
      overlay.draft(pl.id()).place(pl.location());
    } else if (edit instanceof Edit.Label l) {
      Definition r = existing(l.id(), l::toString);
      if (l.add() == r.labels().contains(l.label())) {
        if (strict) {
          throw new InvalidInputException("cannot " + l + ": " + l.id() + (l.add() ? " already has" : " has no")
              + " label " + l.label());
        }
      } else if (l.add()) {
        overlay.draft(l.id()).labelsForEdit().add(l.label());
      } else {
        overlay.draft(l.id()).labelsForEdit().remove(l.label());
      }
    } else if (edit instanceof Edit.Protect p) {
      Definition r = existing(p.id(), p::toString);
      if (strict && p.on() && overlay.isReplaced(p.id())) {
        // protected again over a staged replacement, the plan would hide that it was lifted
        throw new InvalidInputException("cannot protect " + p.id() + ": its replacement is staged, which removes it "
            + "first; apply the replacement, then protect it");
      }
      if (p.on() == r.isProtected()) {
        if (strict) {
          throw new InvalidInputException("cannot " + p + ": " + p.id() + (p.on() ? " is already" : " is not")
              + " protected");
        }
      } else {
        overlay.draft(p.id()).protect(p.on());
      }
    } else {
      throw new IllegalStateException("unknown edit " + edit);
    }
    overlay.seed(edit.owner());
  }

  /** {@code touch} or {@code replace} asks a handler to run: an import staged for it runs none. */
  private void refuseIfImported(ResourceId id, String verb, boolean strict) {
    if (strict && overlay.isRecordOnly(id) && overlay.applied().get(id).isEmpty()) {
      throw new InvalidInputException("cannot " + verb + " " + id + ": its import is staged, which runs no handler; "
          + "apply the import first");
    }
  }

  /**
   * An adoption: the own inputs and outputs found, recorded without running the handler. An input fed
   * by a connection cannot be adopted (its value comes from its emitter); a lenient replay skips it.
   */
  private void adopt(Edit.Adopt a, boolean strict) {
    Definition r = existing(a.id(), a::toString);
    if (strict && overlay.applied().get(a.id()).isEmpty()) {
      throw new InvalidInputException("cannot adopt " + a.id() + ": it is not applied yet");
    }
    // before the draft: whether an edit before this one changed it
    overlay.adopt(a.id());
    Draft d = overlay.draft(a.id());
    for (Map.Entry<String, io.stagehand.core.model.Value> e : a.inputs().entrySet()) {
      if (r.isConnected(e.getKey())) {
        if (strict) {
          throw new InvalidInputException("cannot adopt " + a.id() + "." + e.getKey() + ": it is connected, so its "
              + "value comes from its emitter; repair it instead, or disconnect it first");
        }
        continue;
      }
      d.ownForEdit().put(e.getKey(), e.getValue());
      d.resolvedForEdit().put(e.getKey(), e.getValue());
      if (a.sensitive().contains(e.getKey()) && !d.sensitiveInputs().contains(e.getKey())) {
        d.sensitiveForEdit().add(e.getKey());
      }
    }
    if (!a.outputs().isEmpty()) {
      d.adoptOutputs(a.outputs(), a.sensitiveOutputs());
    }
  }

  /**
   * A create, or the creation an import records ({@code verb} names which, for messages) with the
   * outputs of {@code imported} (null for a create).
   */
  private void create(Edit.Create c, String verb, Edit.Import imported) {
    if (overlay.find(c.id()) != null) {
      throw new InvalidInputException("cannot " + verb + " " + c.id() + ": a resource " + c.id()
          + " already exists (applied or staged)");
    }
    if (overlay.applied().get(c.id()).isPresent()) {
      throw new InvalidInputException("cannot " + verb + " " + c.id() + ": its removal is staged; apply or "
          + "discard the removal before creating " + c.id() + " again");
    }
    c.location().ifPresent(l -> checkLocation(c.id(), l, verb + " " + c.id()));
    Resource created = Resource.builder()
        .id(c.id())
        .kind(c.kind())
        .ownInputs(c.inputs())
        .resolvedInputs(c.inputs())
        .sensitiveInputs(c.sensitive())
        .location(c.location())
        .labels(c.labels())
        .protect(c.isProtected())
        .outputs(imported == null ? Map.of() : imported.outputs())
        .sensitiveOutputs(imported == null ? Set.of() : imported.sensitiveOutputs())
        .build();
    overlay.create(created);
  }

  private void checkLocation(ResourceId id, ResourceId location, String what) {
    if (location.equals(id)) {
      throw new InvalidInputException("cannot " + what + ": a resource cannot be its own location");
    }
    if (overlay.find(location) == null) {
      throw new InvalidInputException("cannot " + what + ": its location " + location + " does not exist");
    }
  }

  private void remove(ResourceId id, String verb, boolean refuseProtected) {
    Definition def = existing(id, () -> verb + " " + id);
    if (refuseProtected) {
      EditRules.checkRemove(def);
    }
    overlay.remove(def);
  }

  private void addEvent(Event e) {
    Supplier<String> what = () -> (e.isReaction() ? "react " : "depend ") + e;
    existing(e.source(), what);
    Definition target = existing(e.target(), what);
    if (target.events().contains(e)) {
      throw new InvalidInputException("cannot " + what.get() + ": the event already exists");
    }
    checkNoCycle(what, e.source(), e.target());
    overlay.draft(e.target()).addEvent(e);
  }

  private void connect(Connection c) {
    Supplier<String> what = () -> "connect " + c;
    Definition emitter = existing(c.emitter().resource(), what);
    Definition receiver = existing(c.receiver().resource(), what);
    Connection made = EditRules.checkConnect(c, emitter, receiver);
    checkNoCycle(what, emitter.id(), receiver.id());
    overlay.draft(receiver.id()).addIncoming(made);
  }

  private void disconnect(Connection c) {
    Definition receiver = existing(c.receiver().resource(), () -> "disconnect " + c);
    Connection found = null;
    for (Connection existing : receiver.incoming()) {
      if (existing.sameEnds(c)) {
        found = existing;
      }
    }
    if (found == null) {
      throw new InvalidInputException("cannot disconnect " + c + ": there is no such connection");
    }
    overlay.draft(receiver.id()).removeIncomingAndResolved(found);
  }

  private Definition existing(ResourceId id, Supplier<String> what) {
    Definition d = overlay.find(id);
    if (d == null) {
      throw new InvalidInputException("cannot " + what.get() + ": there is no resource " + id);
    }
    return d;
  }

  /** Refuses an edit that puts {@code to} after {@code from} when {@code from} already comes after {@code to}. */
  private void checkNoCycle(Supplier<String> what, ResourceId from, ResourceId to) {
    List<ResourceId> cycle = pathDownstream(to, from);
    if (!cycle.isEmpty()) {
      throw EditRules.cycle(what.get(), from, cycle);
    }
  }

  /** A path of resources from {@code from} down to {@code to} along desired connections, or empty. */
  private List<ResourceId> pathDownstream(ResourceId from, ResourceId to) {
    if (!from.equals(to) && !overlay.hasDownstream(from)) {
      return List.of(); // the usual case when connecting: nothing hangs below the receiver yet
    }
    Map<ResourceId, ResourceId> parent = new HashMap<>();
    Deque<ResourceId> queue = new ArrayDeque<>();
    parent.put(from, from);
    queue.add(from);
    while (!queue.isEmpty()) {
      ResourceId cur = queue.poll();
      if (cur.equals(to)) {
        List<ResourceId> path = new ArrayList<>();
        for (ResourceId at = to; ; at = parent.get(at)) {
          path.add(at);
          if (at.equals(from)) {
            break;
          }
        }
        Collections.reverse(path);
        return path;
      }
      for (Connection c : overlay.outgoing(cur)) {
        ResourceId next = c.receiver().resource();
        if (parent.putIfAbsent(next, cur) == null) {
          queue.add(next);
        }
      }
      for (Event e : overlay.eventsFrom(cur)) {
        if (parent.putIfAbsent(e.target(), cur) == null) {
          queue.add(e.target());
        }
      }
    }
    return List.of();
  }

  // ---------------------------------------------------------------- resolution and diffs

  /** The resources whose desired state may differ from their applied one ({@link InputResolver}). */
  public Set<ResourceId> affected() {
    return resolver.affected();
  }

  /**
   * The affected resources, numbered once: resolution and planning keep what they know of each by
   * its number ({@link Numbering}).
   */
  public Numbering numbering() {
    return resolver.numbering();
  }

  /** The desired resource with its resolved inputs, or empty if it does not exist there. */
  public Optional<Resource> resolved(ResourceId id) {
    return resolver.resolved(id);
  }

  /** Refuses the batch if a connection would carry a value deeper than the limit ({@link InputResolver}). */
  public void checkConnectedDepth(Collection<ResourceId> edited) {
    resolver.checkConnectedDepth(edited);
  }

  /**
   * The connection with {@code c}'s ends as the desired state holds it (reading an input or an
   * output, {@link Connection#readsOutput()}), if it holds one.
   */
  public Optional<Connection> connection(Connection c) {
    Definition receiver = overlay.find(c.receiver().resource());
    if (receiver != null) {
      for (Connection held : receiver.incoming()) {
        if (held.sameEnds(c)) {
          return Optional.of(held);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Settles a connection staged as {@code typed} once its whole batch is in: made from an output
   * because its emitter had no such input then, it reads the input after all if the batch gave the
   * emitter one (a batch may connect out of a resource before connecting into it). Returns the
   * connection as the state holds it then, or null if a later edit of the batch took it away.
   */
  public Connection settle(Connection typed) {
    Connection held = connection(typed).orElse(null);
    if (typed.readsOutput() || held == null || !held.readsOutput()) {
      return held;
    }
    Definition emitter = overlay.find(typed.emitter().resource());
    String in = typed.emitter().input();
    if (emitter != null && (emitter.ownInputs().containsKey(in) || emitter.isConnected(in))) {
      resolver.clear();
      Draft d = overlay.draft(typed.receiver().resource());
      d.removeIncoming(held);
      held = new Connection(typed.emitter(), typed.receiver(), typed.collecting(), typed.key());
      d.addIncoming(held);
    }
    return held;
  }

  /**
   * Whether {@code emitter}'s outputs are known in this state and lack {@code name}
   * ({@link InputResolver#lacksOutput}).
   */
  public boolean lacksOutput(ResourceId emitter, String name) {
    return resolver.lacksOutput(emitter, name);
  }

  /** The diff from applied to desired of one resource. */
  public Diff diff(ResourceId id) {
    return diffs.diff(id);
  }

  /** The diffs of every affected resource that has an action, sorted by id. */
  public SortedMap<ResourceId, Diff> diffs() {
    return diffs.diffs();
  }

  /** The diffs of every affected resource that has an action, by {@link #numbering() number}; null for the others. */
  public Diff[] diffsByNumber() {
    return diffs.byNumber();
  }
}
