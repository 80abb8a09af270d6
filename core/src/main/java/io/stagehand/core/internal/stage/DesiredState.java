package io.stagehand.core.internal.stage;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.Copies;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Diff;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import io.stagehand.core.spi.StateStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The desired state as an overlay on the applied state: staged edits are replayed into a small map of
 * changed resources, so that its cost follows the size of the change, not of the deployment. Edits
 * are validated as they are replayed; resolved inputs are computed on demand for the resources the
 * change can reach. A changed resource is a {@link Draft} edited in place, so that an edit costs what
 * it changes.
 */
public final class DesiredState {
  private static final ApiAccess.Resources RESOURCES = ApiAccess.resources();

  private StateStore applied;
  /** Changed definitions; empty means removed. Resolved inputs here are not yet computed. */
  private final Map<ResourceId, Optional<Draft>> overlay = new HashMap<>();
  private final Map<ResourceId, Set<Connection>> addedOut = new HashMap<>();
  private final Map<ResourceId, Set<Connection>> removedOut = new HashMap<>();
  private final Map<ResourceId, Set<Event>> addedEvents = new HashMap<>();
  private final Map<ResourceId, Set<Event>> removedEvents = new HashMap<>();
  private final Set<ResourceId> pending;
  private final Set<ResourceId> seeds = new LinkedHashSet<>();
  private final InputResolver resolver = new InputResolver(this);

  public DesiredState(StateStore applied, Collection<ResourceId> pending) {
    this.applied = applied;
    this.pending = Set.copyOf(pending);
    seeds.addAll(pending);
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
    this.applied = view;
    return this;
  }

  /** The definition (kind, own inputs, incoming connections) of a resource in the desired state. */
  public Optional<Resource> definition(ResourceId id) {
    Optional<Draft> o = overlay.get(id);
    return o != null ? o.map(Draft::resource) : applied.get(id);
  }

  /** The definition of {@code id} as the replay reads it, or null if it does not exist. */
  public Definition find(ResourceId id) {
    Optional<Draft> o = overlay.get(id);
    return o != null ? o.orElse(null) : applied.get(id).map(Definition::of).orElse(null);
  }

  /**
   * The resources placed on each of {@code locations} in the desired state, for the locations that
   * host any: the applied residents the overlay leaves unchanged, and the overlay's own, found in one
   * pass over it.
   */
  public Map<ResourceId, SortedSet<ResourceId>> residents(Set<ResourceId> locations) {
    Map<ResourceId, SortedSet<ResourceId>> out = new HashMap<>();
    for (ResourceId location : locations) {
      for (ResourceId id : applied.residents(location)) {
        if (overlay.get(id) == null) {
          out.computeIfAbsent(location, k -> new TreeSet<>()).add(id); // unchanged, so still placed there
        }
      }
    }
    overlay.forEach((id, draft) -> {
      if (draft.isPresent() && draft.get().location != null && locations.contains(draft.get().location)) {
        out.computeIfAbsent(draft.get().location, k -> new TreeSet<>()).add(id);
      }
    });
    return out;
  }

  /** The desired connections emitted by {@code id}. */
  public SortedSet<Connection> outgoing(ResourceId id) {
    return overlaid(applied.outgoing(id), removedOut.get(id), addedOut.get(id));
  }

  /** The desired events whose source is {@code id}. */
  public SortedSet<Event> eventsFrom(ResourceId id) {
    return overlaid(applied.eventsFrom(id), removedEvents.get(id), addedEvents.get(id));
  }

  /** {@code base} with the overlay's removals and additions, or {@code base} itself if there are none. */
  private static <T> SortedSet<T> overlaid(SortedSet<T> base, Set<T> removed, Set<T> added) {
    if ((removed == null || removed.isEmpty()) && (added == null || added.isEmpty())) {
      return base;
    }
    TreeSet<T> out = new TreeSet<>(base);
    if (removed != null) {
      out.removeAll(removed);
    }
    if (added != null) {
      out.addAll(added);
    }
    return out;
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
    if (!strict && edit instanceof Edit.Connect c) {
      Connection conn = c.connection();
      Definition receiver = find(conn.receiver().resource());
      if (find(conn.emitter().resource()) != null && receiver != null) {
        Draft d = draft(receiver.id());
        List<Connection> replaced = new ArrayList<>(0);
        for (Connection old : d.incoming()) {
          if (conn.sameEnds(old)) {
            replaced.add(old);
          }
        }
        replaced.forEach(d::removeIncoming);
        d.addIncoming(conn);
      }
      seeds.add(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.AddEvent ae) {
      Event e = ae.event();
      if (find(e.source()) != null && find(e.target()) != null) {
        draft(e.target()).addEvent(e);
      }
      seeds.add(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.RemoveEvent re) {
      Definition target = find(re.event().target());
      if (target != null && target.events().contains(re.event())) {
        draft(target.id()).removeEvent(re.event());
      }
      seeds.add(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.Place pl) {
      // the location may have been removed since; a location only groups actions for the limits
      existing(pl.id(), () -> "place " + pl.id());
      draft(pl.id()).place(pl.location());
      seeds.add(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.Disconnect d) {
      Definition receiver = find(d.connection().receiver().resource());
      if (receiver != null && receiver.incoming().stream().anyMatch(d.connection()::sameEnds)) {
        disconnect(d.connection());
      }
      seeds.add(edit.owner());
      return;
    }
    if (edit instanceof Edit.Create c) {
      create(c);
    } else if (edit instanceof Edit.SetInput s) {
      Definition r = existing(s.id(), () -> "set " + s.id() + "." + s.input());
      EditRules.checkSet(s, r);
      Draft d = draft(s.id());
      d.ownForEdit().put(s.input(), s.value());
      d.resolvedForEdit().put(s.input(), s.value());
      if (s.sensitive() && !d.sensitive.contains(s.input())) {
        d.sensitiveForEdit().add(s.input());
      }
    } else if (edit instanceof Edit.UnsetInput u) {
      Definition r = existing(u.id(), () -> "unset " + u.id() + "." + u.input());
      if (!r.ownInputs().containsKey(u.input())) {
        throw new InvalidInputException("cannot unset " + u.id() + "." + u.input() + ": " + u.id()
            + " has no own input " + u.input()
            + (r.isConnected(u.input()) ? " (it is connected; disconnect it instead)" : ""));
      }
      Draft d = draft(u.id());
      d.ownForEdit().remove(u.input());
      d.resolvedForEdit().remove(u.input());
    } else if (edit instanceof Edit.Remove rm) {
      remove(rm.id());
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
      draft(target.id()).removeEvent(re.event());
    } else if (edit instanceof Edit.Place pl) {
      existing(pl.id(), pl::toString);
      pl.location().ifPresent(l -> checkLocation(pl.id(), l, pl.toString()));
      draft(pl.id()).place(pl.location());
    } else if (edit instanceof Edit.Label l) {
      Definition r = existing(l.id(), l::toString);
      if (l.add() == r.labels().contains(l.label())) {
        if (strict) {
          throw new InvalidInputException("cannot " + l + ": " + l.id() + (l.add() ? " already has" : " has no")
              + " label " + l.label());
        }
      } else if (l.add()) {
        draft(l.id()).labelsForEdit().add(l.label());
      } else {
        draft(l.id()).labelsForEdit().remove(l.label());
      }
    } else {
      throw new IllegalStateException("unknown edit " + edit);
    }
    seeds.add(edit.owner());
  }

  private void create(Edit.Create c) {
    if (find(c.id()) != null) {
      throw new InvalidInputException("cannot create " + c.id() + ": a resource " + c.id()
          + " already exists (applied or staged)");
    }
    if (applied.get(c.id()).isPresent()) {
      throw new InvalidInputException("cannot create " + c.id() + ": its removal is staged; apply or "
          + "discard the removal before creating " + c.id() + " again");
    }
    c.location().ifPresent(l -> checkLocation(c.id(), l, "create " + c.id()));
    Resource created = Resource.builder()
        .id(c.id())
        .kind(c.kind())
        .ownInputs(c.inputs())
        .resolvedInputs(c.inputs())
        .sensitiveInputs(c.sensitive())
        .location(c.location())
        .labels(c.labels())
        .build();
    overlay.put(c.id(), Optional.of(new Draft(created)));
    seeds.add(c.id());
  }

  private void checkLocation(ResourceId id, ResourceId location, String what) {
    if (location.equals(id)) {
      throw new InvalidInputException("cannot " + what + ": a resource cannot be its own location");
    }
    if (find(location) == null) {
      throw new InvalidInputException("cannot " + what + ": its location " + location + " does not exist");
    }
  }

  private void remove(ResourceId id) {
    Definition self = existing(id, () -> "remove " + id);
    // what it emits: walked without copying its outgoing set, which the loop changes
    Set<Connection> removed = removedOut.get(id);
    List<Connection> out = new ArrayList<>();
    for (Connection c : applied.outgoing(id)) {
      if (removed == null || !removed.contains(c)) {
        out.add(c);
      }
    }
    out.addAll(addedOut.getOrDefault(id, Set.of()));
    for (Connection c : out) {
      draft(c.receiver().resource()).removeIncomingAndResolved(c);
    }
    for (Event e : eventsFrom(id)) {
      draft(e.target()).removeEvent(e);
    }
    // its own incoming connections and events go with it: only the overlay's deltas change
    for (Connection in : self.incoming()) {
      incomingRemoved(in);
    }
    for (Event e : self.events()) {
      eventRemoved(e);
    }
    overlay.put(id, Optional.empty());
    seeds.add(id);
  }

  private void addEvent(Event e) {
    Supplier<String> what = () -> (e.isReaction() ? "react " : "depend ") + e;
    existing(e.source(), what);
    Definition target = existing(e.target(), what);
    if (target.events().contains(e)) {
      throw new InvalidInputException("cannot " + what.get() + ": the event already exists");
    }
    List<ResourceId> cycle = pathDownstream(e.target(), e.source());
    if (!cycle.isEmpty()) {
      throw EditRules.cycle(what.get(), e.source(), cycle);
    }
    draft(e.target()).addEvent(e);
  }

  private void connect(Connection c) {
    Supplier<String> what = () -> "connect " + c;
    Definition emitter = existing(c.emitter().resource(), what);
    Definition receiver = existing(c.receiver().resource(), what);
    EditRules.checkConnect(c, emitter, receiver);
    List<ResourceId> cycle = pathDownstream(receiver.id(), emitter.id());
    if (!cycle.isEmpty()) {
      throw EditRules.cycle(what.get(), emitter.id(), cycle);
    }
    draft(receiver.id()).addIncoming(c);
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
    draft(receiver.id()).removeIncomingAndResolved(found);
  }

  /** The draft of an existing resource, made from its current definition on its first edit. */
  private Draft draft(ResourceId id) {
    Optional<Draft> o = overlay.get(id);
    Draft d;
    if (o != null) {
      d = o.orElseThrow(() -> new IllegalStateException(id + " is removed"));
    } else {
      d = new Draft(applied.get(id).orElseThrow(() -> new IllegalStateException(id + " does not exist")));
      overlay.put(id, Optional.of(d));
    }
    seeds.add(id);
    return d;
  }

  private static boolean dropEvent(Map<ResourceId, Set<Event>> map, Event e) {
    Set<Event> set = map.get(e.source());
    return set != null && set.remove(e);
  }

  private static boolean remove(Map<ResourceId, Set<Connection>> map, ResourceId key, Connection c) {
    Set<Connection> set = map.get(key);
    return set != null && set.remove(c);
  }

  private Definition existing(ResourceId id, Supplier<String> what) {
    Definition d = find(id);
    if (d == null) {
      throw new InvalidInputException("cannot " + what.get() + ": there is no resource " + id);
    }
    return d;
  }

  /** A path of resources from {@code from} down to {@code to} along desired connections, or empty. */
  private List<ResourceId> pathDownstream(ResourceId from, ResourceId to) {
    if (!from.equals(to) && !hasDownstream(from)) {
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
      for (Connection c : outgoing(cur)) {
        ResourceId next = c.receiver().resource();
        if (parent.putIfAbsent(next, cur) == null) {
          queue.add(next);
        }
      }
      for (Event e : eventsFrom(cur)) {
        if (parent.putIfAbsent(e.target(), cur) == null) {
          queue.add(e.target());
        }
      }
    }
    return List.of();
  }

  private boolean hasDownstream(ResourceId id) {
    Set<Connection> added = addedOut.get(id);
    Set<Event> addedEv = addedEvents.get(id);
    return added != null && !added.isEmpty() || addedEv != null && !addedEv.isEmpty()
        || !outgoing(id).isEmpty() || !eventsFrom(id).isEmpty();
  }

  /**
   * A resource being edited: it starts from its current definition and copies a collection the first
   * time an edit changes it. Changes of its incoming connections and events keep the overlay's
   * outgoing and event deltas in step.
   */
  private final class Draft implements Definition {
    private final ResourceId id;
    private final String kind;
    private SortedMap<String, Value> own;
    private SortedSet<String> sensitive;
    private SortedSet<Connection> incoming;
    private ResourceId location;
    private SortedSet<Event> events;
    private SortedSet<String> labels;
    private SortedMap<String, Value> resolved;
    private Resource built;

    Draft(Resource r) {
      id = r.id();
      kind = r.kind();
      own = r.ownInputs();
      sensitive = r.sensitiveInputs();
      incoming = r.incoming();
      location = r.location().orElse(null);
      events = r.events();
      labels = r.labels();
      resolved = r.resolvedInputs();
      built = r;
    }

    /** The draft as a resource; built again only after a change. */
    Resource resource() {
      if (built == null) {
        built = RESOURCES.trusted(id, kind, own, sensitive, incoming, Optional.ofNullable(location), events, labels,
            resolved);
      }
      return built;
    }

    @Override
    public ResourceId id() {
      return id;
    }

    @Override
    public String kind() {
      return kind;
    }

    // the readers below are DesiredState's own, which never change what they read

    @Override
    public SortedMap<String, Value> ownInputs() {
      return own;
    }

    @Override
    public SortedSet<Connection> incoming() {
      return incoming;
    }

    @Override
    public Optional<ResourceId> location() {
      return Optional.ofNullable(location);
    }

    @Override
    public SortedSet<Event> events() {
      return events;
    }

    @Override
    public SortedSet<String> labels() {
      return labels;
    }

    void place(Optional<ResourceId> at) {
      built = null;
      location = at.orElse(null);
    }

    SortedMap<String, Value> ownForEdit() {
      built = null;
      own = Copies.writable(own);
      return own;
    }

    SortedMap<String, Value> resolvedForEdit() {
      built = null;
      resolved = Copies.writable(resolved);
      return resolved;
    }

    SortedSet<String> sensitiveForEdit() {
      built = null;
      sensitive = Copies.writable(sensitive);
      return sensitive;
    }

    SortedSet<String> labelsForEdit() {
      built = null;
      labels = Copies.writable(labels);
      return labels;
    }

    void addIncoming(Connection c) {
      built = null;
      incoming = Copies.writable(incoming);
      if (incoming.add(c)) {
        incomingAdded(c);
      }
    }

    void removeIncoming(Connection c) {
      built = null;
      incoming = Copies.writable(incoming);
      if (incoming.remove(c)) {
        incomingRemoved(c);
      }
    }

    /** Removes a connection and the value it fed (resolution computes the input again). */
    void removeIncomingAndResolved(Connection c) {
      removeIncoming(c);
      resolvedForEdit().remove(c.receiver().input());
    }

    void addEvent(Event e) {
      built = null;
      events = Copies.writable(events);
      if (events.add(e)) {
        eventAdded(e);
      }
    }

    void removeEvent(Event e) {
      built = null;
      events = Copies.writable(events);
      if (events.remove(e)) {
        eventRemoved(e);
      }
    }
  }

  // the overlay's deltas of outgoing connections and events, kept in step with every draft's change

  private void incomingAdded(Connection c) {
    ResourceId e = c.emitter().resource();
    if (!remove(removedOut, e, c)) {
      addedOut.computeIfAbsent(e, k -> new HashSet<>(4)).add(c);
    }
  }

  private void incomingRemoved(Connection c) {
    ResourceId e = c.emitter().resource();
    if (!remove(addedOut, e, c)) {
      removedOut.computeIfAbsent(e, k -> new HashSet<>(4)).add(c);
    }
  }

  private void eventAdded(Event e) {
    if (!dropEvent(removedEvents, e)) {
      addedEvents.computeIfAbsent(e.source(), k -> new HashSet<>(4)).add(e);
    }
  }

  private void eventRemoved(Event e) {
    if (!dropEvent(addedEvents, e)) {
      removedEvents.computeIfAbsent(e.source(), k -> new HashSet<>(4)).add(e);
    }
  }


  // ---------------------------------------------------------------- resolution and diffs

  /** The resources whose desired state may differ from their applied one ({@link InputResolver}). */
  public Set<ResourceId> affected() {
    return resolver.affected();
  }

  /** The desired resource with its resolved inputs, or empty if it does not exist there. */
  public Optional<Resource> resolved(ResourceId id) {
    return resolver.resolved(id);
  }

  /** Refuses the batch if a connection would carry a value deeper than the limit ({@link InputResolver}). */
  public void checkConnectedDepth(Collection<ResourceId> edited) {
    resolver.checkConnectedDepth(edited);
  }

  // what the resolver reads of the overlay

  public StateStore applied() {
    return applied;
  }

  public Set<ResourceId> seeds() {
    return seeds;
  }

  public Set<Connection> addedOut(ResourceId emitter) {
    return addedOut.getOrDefault(emitter, Set.of());
  }

  /** A definition as a resource: a draft's current build, or the applied resource itself. */
  public Resource resource(Definition def) {
    return def instanceof Draft draft ? draft.resource() : ((Definition.Applied) def).resource();
  }


  /**
   * Every connection touching {@code id} in the desired state, unsorted: the diff's builder sorts
   * them (incoming and outgoing never overlap, a resource cannot feed itself).
   */
  public List<Connection> touching(ResourceId id) {
    Definition r = find(id);
    if (r == null) {
      return List.of();
    }
    List<Connection> out = new ArrayList<>(r.incoming());
    Set<Connection> removed = removedOut.get(id);
    for (Connection c : applied.outgoing(id)) {
      if (removed == null || !removed.contains(c)) {
        out.add(c);
      }
    }
    out.addAll(addedOut.getOrDefault(id, Set.of()));
    return out;
  }

  /** Every connection touching {@code id} in the applied state, unsorted. */
  public static List<Connection> touchingApplied(StateStore applied, ResourceId id) {
    Optional<Resource> r = applied.get(id);
    if (r.isEmpty()) {
      return List.of();
    }
    List<Connection> out = new ArrayList<>(r.get().incoming());
    out.addAll(applied.outgoing(id));
    return out;
  }

  /** The diff from applied to desired of one resource. */
  public Diff diff(ResourceId id) {
    return Diff.builder()
        .resource(id)
        .before(applied.get(id))
        .after(resolved(id))
        .connectionsBefore(touchingApplied(applied, id))
        .connectionsAfter(touching(id))
        .pending(pending.contains(id))
        .build();
  }

  /** The diffs of every affected resource that has an action, sorted by id. */
  public SortedMap<ResourceId, Diff> diffs() {
    TreeMap<ResourceId, Diff> out = new TreeMap<>();
    for (ResourceId id : affected()) {
      Diff d = diff(id);
      if (d.action().isPresent()) {
        out.put(id, d);
      }
    }
    return out;
  }
}
