package io.stagehand.core;

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

/**
 * The desired state as an overlay on the applied state: staged edits are replayed into a small map of
 * changed resources, so that its cost follows the size of the change, not of the deployment. Edits
 * are validated as they are replayed; resolved inputs are computed on demand for the resources the
 * change can reach.
 */
final class DesiredState {
  private final StateStore applied;
  /** Changed definitions; empty means removed. Resolved inputs here are not yet computed. */
  private final Map<ResourceId, Optional<Resource>> overlay = new HashMap<>();
  private final Map<ResourceId, Set<Connection>> addedOut = new HashMap<>();
  private final Map<ResourceId, Set<Connection>> removedOut = new HashMap<>();
  private final Map<ResourceId, Set<Event>> addedEvents = new HashMap<>();
  private final Map<ResourceId, Set<Event>> removedEvents = new HashMap<>();
  private final Set<ResourceId> seeds = new LinkedHashSet<>();
  private Set<ResourceId> affected;
  private final Map<ResourceId, Optional<Resource>> resolvedCache = new HashMap<>();

  DesiredState(StateStore applied, Collection<ResourceId> pending) {
    this.applied = applied;
    seeds.addAll(pending);
  }

  /** The definition (kind, own inputs, incoming connections) of a resource in the desired state. */
  Optional<Resource> definition(ResourceId id) {
    Optional<Resource> o = overlay.get(id);
    return o != null ? o : applied.get(id);
  }

  /** The desired connections emitted by {@code id}. */
  SortedSet<Connection> outgoing(ResourceId id) {
    return overlaid(applied.outgoing(id), removedOut.get(id), addedOut.get(id));
  }

  /** The desired events whose source is {@code id}. */
  SortedSet<Event> eventsFrom(ResourceId id) {
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
  void apply(Edit edit) {
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
  void apply(Edit edit, boolean strict) {
    affected = null;
    resolvedCache.clear();
    if (!strict && edit instanceof Edit.Connect c) {
      Connection conn = c.connection();
      Optional<Resource> receiver = definition(conn.receiver().resource());
      if (definition(conn.emitter().resource()).isPresent() && receiver.isPresent()) {
        TreeSet<Connection> incoming = new TreeSet<>(receiver.get().incoming());
        incoming.removeIf(conn::sameEnds);
        incoming.add(conn);
        setIncoming(receiver.get(), incoming);
      }
      seeds.add(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.AddEvent ae) {
      Event e = ae.event();
      Optional<Resource> target = definition(e.target());
      if (definition(e.source()).isPresent() && target.isPresent()) {
        TreeSet<Event> events = new TreeSet<>(target.get().events());
        events.add(e);
        put(Resource.builder().from(target.get()).events(events).build());
      }
      seeds.add(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.RemoveEvent re) {
      Optional<Resource> target = definition(re.event().target());
      if (target.isPresent() && target.get().events().contains(re.event())) {
        TreeSet<Event> events = new TreeSet<>(target.get().events());
        events.remove(re.event());
        put(Resource.builder().from(target.get()).events(events).build());
      }
      seeds.add(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.Place pl) {
      // the location may have been removed since; a location only groups actions for the limits
      Resource r = existing(pl.id(), "place " + pl.id());
      put(Resource.builder().from(r).location(pl.location()).build());
      seeds.add(edit.owner());
      return;
    }
    if (!strict && edit instanceof Edit.Disconnect d) {
      Optional<Resource> receiver = definition(d.connection().receiver().resource());
      if (receiver.isPresent() && receiver.get().incoming().stream().anyMatch(d.connection()::sameEnds)) {
        disconnect(d.connection());
      }
      seeds.add(edit.owner());
      return;
    }
    if (edit instanceof Edit.Create c) {
      create(c);
    } else if (edit instanceof Edit.SetInput s) {
      Resource r = existing(s.id(), "set " + s.id() + "." + s.input());
      for (Connection c : r.incoming()) {
        if (!c.receiver().input().equals(s.input())) {
          continue;
        }
        boolean keyFree = c.key().isPresent() && !c.collecting()
            && s.value() instanceof Value.MapValue m && !m.entries().containsKey(c.key().get());
        if (!keyFree) {
          throw new InvalidInputException("cannot set " + s.id() + "." + s.input() + ": "
              + (c.key().isPresent() && !c.collecting()
                  ? "its key " + c.key().get() + " is connected from " + c.emitter() + "; set a map without it"
                  : "it is connected from " + c.emitter() + "; disconnect it first"));
        }
      }
      TreeMap<String, Value> own = new TreeMap<>(r.ownInputs());
      own.put(s.input(), s.value());
      TreeMap<String, Value> resolved = new TreeMap<>(r.resolvedInputs());
      resolved.put(s.input(), s.value());
      put(Resource.builder().from(r).ownInputs(own).resolvedInputs(resolved).build());
    } else if (edit instanceof Edit.UnsetInput u) {
      Resource r = existing(u.id(), "unset " + u.id() + "." + u.input());
      if (!r.ownInputs().containsKey(u.input())) {
        throw new InvalidInputException("cannot unset " + u.id() + "." + u.input() + ": " + u.id()
            + " has no own input " + u.input()
            + (r.isConnected(u.input()) ? " (it is connected; disconnect it instead)" : ""));
      }
      TreeMap<String, Value> own = new TreeMap<>(r.ownInputs());
      own.remove(u.input());
      TreeMap<String, Value> resolved = new TreeMap<>(r.resolvedInputs());
      resolved.remove(u.input());
      put(Resource.builder().from(r).ownInputs(own).resolvedInputs(resolved).build());
    } else if (edit instanceof Edit.Remove rm) {
      remove(rm.id());
    } else if (edit instanceof Edit.Connect c) {
      connect(c.connection());
    } else if (edit instanceof Edit.Disconnect d) {
      disconnect(d.connection());
    } else if (edit instanceof Edit.AddEvent ae) {
      addEvent(ae.event());
    } else if (edit instanceof Edit.RemoveEvent re) {
      Resource target = existing(re.event().target(), re.toString());
      if (!target.events().contains(re.event())) {
        throw new InvalidInputException("cannot " + re + ": there is no such event");
      }
      TreeSet<Event> events = new TreeSet<>(target.events());
      events.remove(re.event());
      put(Resource.builder().from(target).events(events).build());
    } else if (edit instanceof Edit.Place pl) {
      Resource r = existing(pl.id(), pl.toString());
      pl.location().ifPresent(l -> checkLocation(pl.id(), l, pl.toString()));
      put(Resource.builder().from(r).location(pl.location()).build());
    } else if (edit instanceof Edit.Label l) {
      Resource r = existing(l.id(), l.toString());
      TreeSet<String> labels = new TreeSet<>(r.labels());
      if (l.add() ? !labels.add(l.label()) : !labels.remove(l.label())) {
        if (strict) {
          throw new InvalidInputException("cannot " + l + ": " + l.id() + (l.add() ? " already has" : " has no")
              + " label " + l.label());
        }
      }
      put(Resource.builder().from(r).labels(labels).build());
    } else {
      throw new IllegalStateException("unknown edit " + edit);
    }
    seeds.add(edit.owner());
  }

  private void create(Edit.Create c) {
    if (definition(c.id()).isPresent()) {
      throw new InvalidInputException("cannot create " + c.id() + ": a resource " + c.id()
          + " already exists (applied or staged)");
    }
    if (applied.get(c.id()).isPresent()) {
      throw new InvalidInputException("cannot create " + c.id() + ": its removal is staged; apply or "
          + "discard the removal before creating " + c.id() + " again");
    }
    c.location().ifPresent(l -> checkLocation(c.id(), l, "create " + c.id()));
    put(Resource.builder()
        .id(c.id())
        .kind(c.kind())
        .ownInputs(c.inputs())
        .resolvedInputs(c.inputs())
        .sensitiveInputs(c.sensitive())
        .location(c.location())
        .labels(c.labels())
        .build());
  }

  private void checkLocation(ResourceId id, ResourceId location, String what) {
    if (location.equals(id)) {
      throw new InvalidInputException("cannot " + what + ": a resource cannot be its own location");
    }
    if (definition(location).isEmpty()) {
      throw new InvalidInputException("cannot " + what + ": its location " + location + " does not exist");
    }
  }

  private void remove(ResourceId id) {
    Resource r = existing(id, "remove " + id);
    for (Connection out : outgoing(id)) {
      Resource receiver = definition(out.receiver().resource()).orElseThrow();
      put(withoutIncoming(receiver, out));
    }
    for (Event e : eventsFrom(id)) {
      Resource target = definition(e.target()).orElseThrow();
      TreeSet<Event> events = new TreeSet<>(target.events());
      events.remove(e);
      put(Resource.builder().from(target).events(events).build());
    }
    // the loops above changed only other resources, so r is still this one's definition
    put(Resource.builder().from(r).incoming(Collections.emptySortedSet())
        .events(Collections.emptySortedSet()).build());
    overlay.put(id, Optional.empty());
  }

  private void addEvent(Event e) {
    String what = (e.isReaction() ? "react " : "depend ") + e;
    existing(e.source(), what);
    Resource target = existing(e.target(), what);
    if (target.events().contains(e)) {
      throw new InvalidInputException("cannot " + what + ": the event already exists");
    }
    List<ResourceId> cycle = pathDownstream(e.target(), e.source());
    if (!cycle.isEmpty()) {
      List<String> names = new ArrayList<>();
      names.add(e.source().name());
      cycle.forEach(x -> names.add(x.name()));
      throw new InvalidInputException("cannot " + what + ": it would make a cycle " + String.join(" -> ", names));
    }
    TreeSet<Event> events = new TreeSet<>(target.events());
    events.add(e);
    put(Resource.builder().from(target).events(events).build());
  }

  private void connect(Connection c) {
    String what = "connect " + c;
    Resource emitter = existing(c.emitter().resource(), what);
    Resource receiver = existing(c.receiver().resource(), what);
    String in = c.emitter().input();
    if (!emitter.ownInputs().containsKey(in) && !emitter.isConnected(in)) {
      throw new InvalidInputException("cannot " + what + ": " + emitter.id() + " has no input " + in);
    }
    String out = c.receiver().input();
    Value own = receiver.ownInputs().get(out);
    if (own != null) {
      boolean keyFree = c.key().isPresent() && !c.collecting()
          && own instanceof Value.MapValue m && !m.entries().containsKey(c.key().get());
      if (!keyFree) {
        throw new InvalidInputException("cannot " + what + ": " + c.receiver()
            + (c.key().isPresent() && !c.collecting() && own instanceof Value.MapValue
                ? " sets key " + c.key().get() + " by hand; remove it from the value before connecting"
                : " is set by hand; unset it before connecting"));
      }
    }
    for (Connection existing : receiver.incoming()) {
      if (!existing.receiver().input().equals(out)) {
        continue;
      }
      if (existing.sameEnds(c)) {
        throw new InvalidInputException("cannot " + what + ": " + existing + " is already connected");
      }
      if (existing.collecting() != c.collecting()) {
        throw new InvalidInputException("cannot " + what + ": " + c.receiver() + " already takes "
            + (existing.collecting() ? "collecting connections ([])" : "a plain connection")
            + " (" + existing + "); plain and collecting connections cannot share one input");
      }
      if (existing.key().isPresent() != c.key().isPresent()) {
        throw new InvalidInputException("cannot " + what + ": " + c.receiver() + " already takes "
            + (existing.key().isPresent() ? "connections into its keys" : "a connection as a whole")
            + " (" + existing + "); an input is fed either whole or key by key");
      }
      if (c.collecting()) {
        if (c.key().isPresent() && existing.key().equals(c.key())
            && existing.emitter().resource().equals(c.emitter().resource())) {
          throw new InvalidInputException("cannot " + what + ": " + c.emitter().resource()
              + " already feeds " + existing.target() + " (" + existing + ")");
        }
        continue;
      }
      if (existing.key().equals(c.key())) {
        throw new InvalidInputException("cannot " + what + ": " + existing.target()
            + " already has a connection (" + existing + "); a plain input takes one, connect into "
            + c.receiver() + "[] to collect several");
      }
    }
    List<ResourceId> cycle = pathDownstream(receiver.id(), emitter.id());
    if (!cycle.isEmpty()) {
      List<String> names = new ArrayList<>();
      names.add(emitter.id().name());
      cycle.forEach(id -> names.add(id.name()));
      throw new InvalidInputException("cannot " + what + ": it would make a cycle "
          + String.join(" -> ", names));
    }
    TreeSet<Connection> incoming = new TreeSet<>(receiver.incoming());
    incoming.add(c);
    setIncoming(receiver, incoming);
  }

  private void disconnect(Connection c) {
    String what = "disconnect " + c;
    Resource receiver = existing(c.receiver().resource(), what);
    Connection found = null;
    for (Connection existing : receiver.incoming()) {
      if (existing.sameEnds(c)) {
        found = existing;
      }
    }
    if (found == null) {
      throw new InvalidInputException("cannot " + what + ": there is no such connection");
    }
    put(withoutIncoming(receiver, found));
  }

  private Resource withoutIncoming(Resource r, Connection c) {
    TreeSet<Connection> incoming = new TreeSet<>(r.incoming());
    incoming.remove(c);
    TreeMap<String, Value> resolved = new TreeMap<>(r.resolvedInputs());
    resolved.remove(c.receiver().input());
    Resource changed = Resource.builder().from(r).incoming(incoming).resolvedInputs(resolved).build();
    return changed;
  }

  private void setIncoming(Resource r, SortedSet<Connection> incoming) {
    put(Resource.builder().from(r).incoming(incoming).build());
  }

  /** Replaces a definition and keeps the outgoing-connection deltas in step with its incoming set. */
  private void put(Resource r) {
    SortedSet<Connection> before =
        definition(r.id()).map(Resource::incoming).orElse(Collections.emptySortedSet());
    for (Connection c : before) {
      if (!r.incoming().contains(c)) {
        ResourceId e = c.emitter().resource();
        if (!remove(addedOut, e, c)) {
          removedOut.computeIfAbsent(e, k -> new HashSet<>()).add(c);
        }
      }
    }
    for (Connection c : r.incoming()) {
      if (!before.contains(c)) {
        ResourceId e = c.emitter().resource();
        if (!remove(removedOut, e, c)) {
          addedOut.computeIfAbsent(e, k -> new HashSet<>()).add(c);
        }
      }
    }
    SortedSet<Event> eventsBefore =
        definition(r.id()).map(Resource::events).orElse(Collections.emptySortedSet());
    for (Event e : eventsBefore) {
      if (!r.events().contains(e) && !removeEvent(addedEvents, e)) {
        removedEvents.computeIfAbsent(e.source(), k -> new HashSet<>()).add(e);
      }
    }
    for (Event e : r.events()) {
      if (!eventsBefore.contains(e) && !removeEvent(removedEvents, e)) {
        addedEvents.computeIfAbsent(e.source(), k -> new HashSet<>()).add(e);
      }
    }
    overlay.put(r.id(), Optional.of(r));
    seeds.add(r.id());
  }

  private static boolean removeEvent(Map<ResourceId, Set<Event>> map, Event e) {
    Set<Event> set = map.get(e.source());
    return set != null && set.remove(e);
  }

  private static boolean remove(Map<ResourceId, Set<Connection>> map, ResourceId key, Connection c) {
    Set<Connection> set = map.get(key);
    return set != null && set.remove(c);
  }

  private Resource existing(ResourceId id, String what) {
    return definition(id).orElseThrow(
        () -> new InvalidInputException("cannot " + what + ": there is no resource " + id));
  }

  private static InputRef emitterOf(Resource r, String input) {
    for (Connection c : r.incoming()) {
      if (c.receiver().input().equals(input)) {
        return c.emitter();
      }
    }
    throw new IllegalStateException(input + " is not connected");
  }

  /** A path of resources from {@code from} down to {@code to} along desired connections, or empty. */
  private List<ResourceId> pathDownstream(ResourceId from, ResourceId to) {
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

  // ---------------------------------------------------------------- resolution and diffs

  /**
   * The resources whose desired state may differ from their applied one: the seeds (edited or
   * pending resources) and everything downstream of them in the applied or the desired graph.
   */
  Set<ResourceId> affected() {
    if (affected == null) {
      Set<ResourceId> seen = new HashSet<>(seeds);
      Deque<ResourceId> queue = new ArrayDeque<>(seeds);
      while (!queue.isEmpty()) {
        ResourceId cur = queue.poll();
        for (Connection c : applied.outgoing(cur)) {
          if (seen.add(c.receiver().resource())) {
            queue.add(c.receiver().resource());
          }
        }
        for (Connection c : addedOut.getOrDefault(cur, Set.of())) {
          if (seen.add(c.receiver().resource())) {
            queue.add(c.receiver().resource());
          }
        }
      }
      affected = seen;
    }
    return affected;
  }

  /** The desired resource with its resolved inputs, or empty if it does not exist there. */
  Optional<Resource> resolved(ResourceId id) {
    if (!affected().contains(id)) {
      return applied.get(id);
    }
    Optional<Resource> cached = resolvedCache.get(id);
    if (cached != null) {
      return cached;
    }
    // Walk upstream iteratively so that long chains do not overflow the stack.
    Deque<ResourceId> stack = new ArrayDeque<>();
    Set<ResourceId> expanded = new HashSet<>();
    stack.push(id);
    while (!stack.isEmpty()) {
      ResourceId cur = stack.peek();
      if (resolvedCache.containsKey(cur)) {
        stack.pop();
        continue;
      }
      Optional<Resource> def = definition(cur);
      if (def.isEmpty()) {
        resolvedCache.put(cur, Optional.empty());
        stack.pop();
        continue;
      }
      if (!expanded.add(cur)) {
        // expanded before and still not resolvable: its emitters lead back to it
        boolean waiting = def.get().incoming().stream().map(c -> c.emitter().resource())
            .anyMatch(e -> affected().contains(e) && !resolvedCache.containsKey(e));
        if (waiting && stack.stream().filter(cur::equals).count() > 1) {
          throw new StoreException("the desired state has a connection cycle through " + cur
              + "; the staged log was changed outside Stagehand");
        }
      }
      boolean ready = true;
      for (Connection c : def.get().incoming()) {
        ResourceId e = c.emitter().resource();
        if (affected().contains(e) && !resolvedCache.containsKey(e)) {
          stack.push(e);
          ready = false;
        }
      }
      if (ready) {
        resolvedCache.put(cur, Optional.of(resolve(def.get())));
        stack.pop();
      }
    }
    return resolvedCache.get(id);
  }

  private Resource resolve(Resource def) {
    TreeMap<String, Value> resolved = new TreeMap<>(def.ownInputs());
    Map<String, List<Value>> collected = new TreeMap<>();
    Map<String, TreeMap<String, Value>> keyed = new TreeMap<>();
    Map<String, TreeMap<ResourceId, TreeMap<String, Value>>> keyedByEmitter = new TreeMap<>();
    for (Connection c : def.incoming()) {
      ResourceId e = c.emitter().resource();
      Optional<Resource> emitter =
          affected().contains(e) ? resolvedCache.get(e) : applied.get(e);
      Optional<Value> v = emitter.flatMap(r -> r.resolved(c.emitter().input()));
      String input = c.receiver().input();
      if (c.collecting() && c.key().isPresent()) {
        TreeMap<String, Value> element = keyedByEmitter.computeIfAbsent(input, k -> new TreeMap<>())
            .computeIfAbsent(e, k -> new TreeMap<>());
        v.ifPresent(value -> element.put(c.key().get(), value));
      } else if (c.collecting()) {
        List<Value> list = collected.computeIfAbsent(input, k -> new ArrayList<>());
        v.ifPresent(list::add);
      } else if (c.key().isPresent()) {
        TreeMap<String, Value> map = keyed.computeIfAbsent(input, k -> new TreeMap<>());
        v.ifPresent(value -> map.put(c.key().get(), value));
      } else {
        v.ifPresent(value -> resolved.put(input, value));
      }
    }
    // incoming is sorted by emitter then input, so each list is in the documented order
    collected.forEach((input, values) -> resolved.put(input, Value.list(values)));
    keyedByEmitter.forEach((input, byEmitter) -> {
      List<Value> elements = new ArrayList<>();
      byEmitter.values().forEach(m -> {
        if (!m.isEmpty()) {
          elements.add(Value.map(m));
        }
      });
      resolved.put(input, Value.list(elements));
    });
    keyed.forEach((input, fed) -> {
      Value own = def.ownInputs().get(input);
      if (own == null && fed.isEmpty()) {
        return;
      }
      TreeMap<String, Value> merged = new TreeMap<>();
      if (own instanceof Value.MapValue m) {
        merged.putAll(m.entries());
      }
      merged.putAll(fed);
      resolved.put(input, Value.map(merged));
    });
    return Resource.builder().from(def).resolvedInputs(resolved).build();
  }

  /** Every connection touching {@code id} in the desired state. */
  SortedSet<Connection> touching(ResourceId id) {
    TreeSet<Connection> out = new TreeSet<>();
    definition(id).ifPresent(r -> {
      out.addAll(r.incoming());
      out.addAll(outgoing(id));
    });
    return out;
  }

  static SortedSet<Connection> touchingApplied(StateStore applied, ResourceId id) {
    TreeSet<Connection> out = new TreeSet<>();
    applied.get(id).ifPresent(r -> {
      out.addAll(r.incoming());
      out.addAll(applied.outgoing(id));
    });
    return out;
  }

  /** The diff from applied to desired of one resource. */
  Diff diff(ResourceId id) {
    return Diff.builder()
        .resource(id)
        .before(applied.get(id))
        .after(resolved(id))
        .connectionsBefore(touchingApplied(applied, id))
        .connectionsAfter(touching(id))
        .build();
  }

  /** The diffs of every affected resource that has an action, sorted by id. */
  SortedMap<ResourceId, Diff> diffs() {
    TreeMap<ResourceId, Diff> out = new TreeMap<>();
    for (ResourceId id : affected()) {
      Diff d = diff(id);
      if (d.action().isPresent()) {
        out.put(id, d);
      }
    }
    return out;
  }

  /** The edited and pending resources this state started from. */
  Set<ResourceId> seeds() {
    return Collections.unmodifiableSet(seeds);
  }
}
