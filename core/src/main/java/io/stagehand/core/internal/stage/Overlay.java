package io.stagehand.core.internal.stage;

import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.StateStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The changes a desired state makes to the applied state, held as deltas so that their cost follows
 * the size of the change, not of the deployment: a {@link Draft} of each changed resource (or its
 * removal), the connections and events each resource emits that were added or removed, and the seeds
 * (the resources the change starts from). Reads fall through to the applied state for everything
 * else. It keeps the deltas in step with the drafts and checks no rule: the replay checks an edit
 * before it changes anything here.
 */
public final class Overlay {
  private StateStore applied;
  /** Changed definitions; empty means removed. Resolved inputs here are not yet computed. */
  private final Map<ResourceId, Optional<Draft>> drafts = new HashMap<>();
  private final Map<ResourceId, Set<Connection>> addedOut = new HashMap<>();
  private final Map<ResourceId, Set<Connection>> removedOut = new HashMap<>();
  private final Map<ResourceId, Set<Event>> addedEvents = new HashMap<>();
  private final Map<ResourceId, Set<Event>> removedEvents = new HashMap<>();
  private final Set<ResourceId> seeds = new LinkedHashSet<>();
  /** Resources whose net change only records: a creation that is an import, a removal that is a forget. */
  private final Set<ResourceId> recordOnly = new HashSet<>();
  /** Resources whose UPDATE is asked for although they may not change. */
  private final Set<ResourceId> touched = new HashSet<>();
  private final Set<ResourceId> replaced = new HashSet<>();
  /** Resources an adopt edit records as found, and those other edits change too (which then run). */
  private final Set<ResourceId> adopted = new HashSet<>();
  private final Set<ResourceId> editedOtherwise = new HashSet<>();

  /** An overlay with no change yet over {@code applied}, starting from {@code seeds} (the pending resources). */
  public Overlay(StateStore applied, Collection<ResourceId> seeds) {
    this.applied = applied;
    this.seeds.addAll(seeds);
  }

  /** The applied state under the overlay. */
  public StateStore applied() {
    return applied;
  }

  /** Reads the applied state through {@code view} from now on: the same store, unchanged, in a later unit. */
  void readingFrom(StateStore view) {
    this.applied = view;
  }

  /**
   * The resources whose desired state may differ from their applied one without anything upstream
   * changing: the pending ones and every one an edit touched, in the order they came.
   */
  public Set<ResourceId> seeds() {
    return seeds;
  }

  /** Adds {@code id} to the seeds: an edit of it may have changed nothing the overlay holds. */
  void seed(ResourceId id) {
    seeds.add(id);
  }

  /** The definition (kind, own inputs, incoming connections) of a resource in the desired state. */
  public Optional<Resource> definition(ResourceId id) {
    Optional<Draft> o = drafts.get(id);
    return o != null ? o.map(Draft::resource) : applied.get(id);
  }

  /** The definition of {@code id} as the replay reads it, or null if it does not exist. */
  public Definition find(ResourceId id) {
    Optional<Draft> o = drafts.get(id);
    return o != null ? o.orElse(null) : applied.get(id).map(Definition::of).orElse(null);
  }

  /** A definition as a resource: a draft's current build, or the applied resource itself. */
  public Resource resource(Definition def) {
    return def instanceof Draft draft ? draft.resource() : ((Definition.Applied) def).resource();
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
        if (drafts.get(id) == null) {
          out.computeIfAbsent(location, k -> new TreeSet<>()).add(id); // unchanged, so still placed there
        }
      }
    }
    drafts.forEach((id, draft) -> {
      if (draft.isPresent() && draft.get().at() != null && locations.contains(draft.get().at())) {
        out.computeIfAbsent(draft.get().at(), k -> new TreeSet<>()).add(id);
      }
    });
    return out;
  }

  /**
   * True if {@code id}'s net change is recorded without running its handler: it is imported, or
   * forgotten, rather than created or removed.
   */
  public boolean isRecordOnly(ResourceId id) {
    return recordOnly.contains(id) || !adopted.isEmpty() && adopted.contains(id) && !editedOtherwise.contains(id);
  }

  /**
   * Marks {@code id} as adopted: its change only records what is there, unless another edit changes
   * it, before (it is a seed already: edited, or pending) or after.
   */
  void adopt(ResourceId id) {
    if (seeds.contains(id)) {
      editedOtherwise.add(id);
    }
    adopted.add(id);
  }

  /** True if an adopt edit is {@code id}'s only change (it may still change through its connections). */
  public boolean isAdopted(ResourceId id) {
    return !adopted.isEmpty() && adopted.contains(id) && !editedOtherwise.contains(id);
  }

  /** An edit other than an adopt changes {@code id}: an adoption of it is no longer a record alone. */
  void editedOtherwise(ResourceId id) {
    if (!adopted.isEmpty() && adopted.contains(id)) {
      editedOtherwise.add(id);
    }
  }

  /** True if {@code id} is touched: it updates even if it does not change. */
  public boolean isTouched(ResourceId id) {
    return touched.contains(id);
  }

  /** Marks {@code id} as touched. */
  void touch(ResourceId id) {
    touched.add(id);
  }

  /** True if {@code id} is replaced: removed and run again even if it does not change. */
  public boolean isReplaced(ResourceId id) {
    return replaced.contains(id);
  }

  /** Marks {@code id} as replaced. */
  void replace(ResourceId id) {
    replaced.add(id);
  }

  /** Marks whether {@code id}'s creation or removal, staged last, only records. */
  void recordOnly(ResourceId id, boolean on) {
    if (on) {
      recordOnly.add(id);
    } else {
      recordOnly.remove(id);
    }
  }

  /** The desired connections emitted by {@code id}. */
  public SortedSet<Connection> outgoing(ResourceId id) {
    return overlaid(applied.outgoing(id), removedOut.get(id), addedOut.get(id));
  }

  /** The desired events whose source is {@code id}. */
  public SortedSet<Event> eventsFrom(ResourceId id) {
    return overlaid(applied.eventsFrom(id), removedEvents.get(id), addedEvents.get(id));
  }

  /** The connections emitted by {@code emitter} that the overlay adds to the applied ones. */
  public Set<Connection> addedOut(ResourceId emitter) {
    return addedOut.getOrDefault(emitter, Set.of());
  }

  /** True if {@code id} emits a connection or an event in the desired state. */
  public boolean hasDownstream(ResourceId id) {
    // the overlay's own additions first: they answer without building the sorted desired sets
    Set<Connection> added = addedOut.get(id);
    Set<Event> addedEv = addedEvents.get(id);
    return added != null && !added.isEmpty() || addedEv != null && !addedEv.isEmpty()
        || !outgoing(id).isEmpty() || !eventsFrom(id).isEmpty();
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
    addOutgoing(id, out);
    return out;
  }

  /**
   * The desired connections emitted by {@code id}, in the order {@link #touching} lists them after
   * the incoming ones: the applied set itself when the overlay changes none of them.
   */
  public Collection<Connection> emitted(ResourceId id) {
    Set<Connection> removed = removedOut.get(id);
    Set<Connection> added = addedOut.get(id);
    if ((removed == null || removed.isEmpty()) && (added == null || added.isEmpty())) {
      return applied.outgoing(id);
    }
    List<Connection> out = new ArrayList<>();
    addOutgoing(id, out);
    return out;
  }

  /** Adds the desired connections emitted by {@code id} to {@code out}, unsorted and without a sorted copy. */
  private void addOutgoing(ResourceId id, List<Connection> out) {
    Set<Connection> removed = removedOut.get(id);
    for (Connection c : applied.outgoing(id)) {
      if (removed == null || !removed.contains(c)) {
        out.add(c);
      }
    }
    out.addAll(addedOut.getOrDefault(id, Set.of()));
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

  // ---------------------------------------------------------------- changes

  /** Adds {@code created}, a resource that does not exist in the desired state. */
  void create(Resource created) {
    drafts.put(created.id(), Optional.of(new Draft(this, created)));
    seeds.add(created.id());
  }

  /**
   * The draft of an existing resource, made from its current definition on its first edit; the
   * resource becomes a seed.
   */
  Draft draft(ResourceId id) {
    Optional<Draft> o = drafts.get(id);
    Draft d;
    if (o != null) {
      d = o.orElseThrow(() -> new IllegalStateException(id + " is removed"));
    } else {
      d = new Draft(this, applied.get(id).orElseThrow(() -> new IllegalStateException(id + " does not exist")));
      drafts.put(id, Optional.of(d));
    }
    seeds.add(id);
    return d;
  }

  /**
   * Removes {@code self}, an existing resource, with everything it touches: what it emits leaves its
   * receivers (with the values it fed) and its events leave their targets; its own incoming
   * connections and events go with it.
   */
  void remove(Definition self) {
    ResourceId id = self.id();
    // what it emits: walked without copying its outgoing set, which the loop changes
    List<Connection> out = new ArrayList<>();
    addOutgoing(id, out);
    for (Connection c : out) {
      draft(c.receiver().resource()).removeIncomingAndResolved(c);
    }
    for (Event e : eventsFrom(id)) {
      draft(e.target()).removeEvent(e);
    }
    // only the overlay's deltas change: the removed definition itself is dropped whole
    for (Connection in : self.incoming()) {
      incomingRemoved(in);
    }
    for (Event e : self.events()) {
      eventRemoved(e);
    }
    drafts.put(id, Optional.empty());
    seeds.add(id);
  }

  // the deltas of outgoing connections and events, kept in step with every draft's change: an
  // addition cancels a removal of the same one and the other way round

  void incomingAdded(Connection c) {
    if (!dropped(removedOut, c.emitter().resource(), c)) {
      addedOut.computeIfAbsent(c.emitter().resource(), k -> new HashSet<>(4)).add(c);
    }
  }

  void incomingRemoved(Connection c) {
    if (!dropped(addedOut, c.emitter().resource(), c)) {
      removedOut.computeIfAbsent(c.emitter().resource(), k -> new HashSet<>(4)).add(c);
    }
  }

  void eventAdded(Event e) {
    if (!dropped(removedEvents, e.source(), e)) {
      addedEvents.computeIfAbsent(e.source(), k -> new HashSet<>(4)).add(e);
    }
  }

  void eventRemoved(Event e) {
    if (!dropped(addedEvents, e.source(), e)) {
      removedEvents.computeIfAbsent(e.source(), k -> new HashSet<>(4)).add(e);
    }
  }

  /** Removes {@code item} from {@code key}'s delta in {@code map}; true if it was there. */
  private static <T> boolean dropped(Map<ResourceId, Set<T>> map, ResourceId key, T item) {
    Set<T> set = map.get(key);
    return set != null && set.remove(item);
  }
}
