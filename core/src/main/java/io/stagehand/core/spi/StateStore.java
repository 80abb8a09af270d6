package io.stagehand.core.spi;

import io.stagehand.core.internal.stage.Staging;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The applied state (the seed's DB): per resource, what it was last deployed with. Lookups by id and
 * by emitter must be cheap, since planning walks only what a change touches.
 */
public interface StateStore {
  Optional<Resource> get(ResourceId id);

  /**
   * The applied resources among {@code ids}, by id; ids with no applied resource are left out. An
   * apply checks a whole group of commits with it, so a store that can read many rows at once should.
   */
  default Map<ResourceId, Resource> getAll(Collection<ResourceId> ids) {
    Map<ResourceId, Resource> found = new LinkedHashMap<>();
    for (ResourceId id : ids) {
      get(id).ifPresent(r -> found.put(id, r));
    }
    return found;
  }

  /**
   * The applied connections whose emitter is {@code emitter}, sorted: a set that no later write
   * changes, since a diff keeps it and sorts it with the resource's incoming connections only when
   * they are first read.
   */
  SortedSet<Connection> outgoing(ResourceId emitter);

  /** The applied events whose source is {@code source}, sorted. */
  SortedSet<io.stagehand.core.model.Event> eventsFrom(ResourceId source);

  /**
   * The applied resources whose location is {@code location}, sorted. Staging asks it when a
   * location is removed; a store should answer from an index. The default scans {@link #all()}.
   */
  default SortedSet<ResourceId> residents(ResourceId location) {
    java.util.TreeSet<ResourceId> out = new java.util.TreeSet<>();
    for (Resource r : all()) {
      if (r.location().filter(location::equals).isPresent()) {
        out.add(r.id());
      }
    }
    return out;
  }

  /** Every applied resource, sorted by id. */
  List<Resource> all();

  long count();
}
