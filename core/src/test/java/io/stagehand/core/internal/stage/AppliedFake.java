package io.stagehand.core.internal.stage;

import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.StateStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A fixed applied state for the staging tests, since core cannot use a real store: the resources
 * given, with each emitter's connections and events found once, so that a read returns the same set
 * every time (the overlay hands the applied set itself back when it has no delta).
 */
final class AppliedFake implements StateStore {
  private final Map<ResourceId, Resource> resources = new TreeMap<>();
  private final Map<ResourceId, SortedSet<Connection>> outgoing = new TreeMap<>();
  private final Map<ResourceId, SortedSet<Event>> events = new TreeMap<>();

  AppliedFake(Resource... all) {
    for (Resource r : all) {
      resources.put(r.id(), r);
      r.incoming().forEach(c -> outgoing.computeIfAbsent(c.emitter().resource(), k -> new TreeSet<>()).add(c));
      r.events().forEach(e -> events.computeIfAbsent(e.source(), k -> new TreeSet<>()).add(e));
    }
    outgoing.replaceAll((id, set) -> Collections.unmodifiableSortedSet(set));
    events.replaceAll((id, set) -> Collections.unmodifiableSortedSet(set));
  }

  @Override
  public Optional<Resource> get(ResourceId id) {
    return Optional.ofNullable(resources.get(id));
  }

  @Override
  public SortedSet<Connection> outgoing(ResourceId emitter) {
    return outgoing.getOrDefault(emitter, Collections.emptySortedSet());
  }

  @Override
  public SortedSet<Event> eventsFrom(ResourceId source) {
    return events.getOrDefault(source, Collections.emptySortedSet());
  }

  @Override
  public List<Resource> all() {
    return List.copyOf(resources.values());
  }

  @Override
  public long count() {
    return resources.size();
  }
}
