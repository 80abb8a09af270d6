package io.stagehand.store.jdbc;

import static io.stagehand.store.jdbc.UnitOfWork.NO_PARAMETERS;
import static io.stagehand.store.jdbc.UnitOfWork.bindNames;
import static io.stagehand.store.jdbc.UnitOfWork.chunks;
import static io.stagehand.store.jdbc.UnitOfWork.nonEmpty;

import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.InputRef;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.spi.StateStore;
import io.stagehand.store.jdbc.UnitOfWork.RowMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The applied state in one transaction: the {@code resources} table and its two indexes, connections
 * by emitter and events by source. What a transaction has read is kept for the rest of it, so that
 * the planner's many questions about one resource cost one read.
 */
final class ResourceTable implements StateStore {
  private final UnitOfWork uow;
  private final ResourceStatements sql;
  private final Map<ResourceId, Optional<Resource>> resources = new HashMap<>();
  private final Map<ResourceId, SortedSet<Connection>> outgoing = new HashMap<>();
  private final Map<ResourceId, SortedSet<Event>> events = new HashMap<>();

  ResourceTable(UnitOfWork uow) {
    this.uow = uow;
    this.sql = uow.sql.resources;
  }

  private Resource resource(java.sql.ResultSet rs) throws java.sql.SQLException {
    return uow.json.readResource(rs.getString(1));
  }

  @Override
  public Optional<Resource> get(ResourceId id) {
    return resources.computeIfAbsent(id, k -> uow.rows(sql.getResource(), ps -> ps.setString(1, k.name()),
        this::resource).stream().findFirst());
  }

  @Override
  public Map<ResourceId, Resource> getAll(Collection<ResourceId> ids) {
    List<ResourceId> unknown = ids.stream().distinct().filter(id -> !resources.containsKey(id)).toList();
    for (List<ResourceId> chunk : chunks(unknown)) {
      chunk.forEach(id -> resources.put(id, Optional.empty()));
      for (Resource r : uow.rows(sql.getResources(chunk.size()), bindNames(chunk), this::resource)) {
        resources.put(r.id(), Optional.of(r));
      }
    }
    Map<ResourceId, Resource> found = new LinkedHashMap<>();
    for (ResourceId id : ids) {
      resources.get(id).ifPresent(r -> found.put(id, r));
    }
    return found;
  }

  @Override
  public SortedSet<ResourceId> residents(ResourceId location) {
    return new TreeSet<>(uow.rows(sql.residents(), ps -> ps.setString(1, location.name()),
        rs -> ResourceId.of(rs.getString(1))));
  }

  @Override
  public SortedSet<Connection> outgoing(ResourceId emitter) {
    readOutgoing(List.of(emitter));
    return outgoing.get(emitter);
  }

  @Override
  public SortedSet<Event> eventsFrom(ResourceId source) {
    readEvents(List.of(source));
    return events.get(source);
  }

  @Override
  public List<Resource> all() {
    return uow.rows(sql.allResources(), NO_PARAMETERS, this::resource);
  }

  @Override
  public long count() {
    return uow.rows(sql.countResources(), NO_PARAMETERS, rs -> rs.getLong(1)).get(0);
  }

  /**
   * Reads what planning will ask of {@code ids} and of everything downstream of them in the applied
   * graph (each resource's row, outgoing connections and events, and the rows of the resources that
   * feed it), a level at a time, in a few bulk
   * queries per level instead of three round trips per resource as the planner walks them one by one:
   * the planner visits exactly the staged and pending resources and what lies downstream of them.
   */
  void readAhead(Collection<ResourceId> ids) {
    Set<ResourceId> seen = new HashSet<>();
    List<ResourceId> level = new ArrayList<>(new LinkedHashSet<>(ids));
    while (!level.isEmpty()) {
      seen.addAll(level);
      Map<ResourceId, Resource> found = getAll(level);
      // their emitters too: resolving a resource's inputs reads each resource that feeds it
      List<ResourceId> emitters = new ArrayList<>();
      for (Resource r : found.values()) {
        for (Connection c : r.incoming()) {
          if (!resources.containsKey(c.emitter().resource())) {
            emitters.add(c.emitter().resource());
          }
        }
      }
      getAll(emitters);
      readOutgoing(level);
      readEvents(level);
      Set<ResourceId> next = new LinkedHashSet<>();
      for (ResourceId id : level) {
        for (Connection c : outgoing.get(id)) {
          ResourceId receiver = c.receiver().resource();
          if (!seen.contains(receiver)) {
            next.add(receiver);
          }
        }
        for (Event e : events.get(id)) {
          if (!seen.contains(e.target())) {
            next.add(e.target());
          }
        }
      }
      level = new ArrayList<>(next);
    }
  }

  private void readOutgoing(Collection<ResourceId> emitters) {
    readIndex(outgoing, emitters, sql::outgoing, rs -> new Connection(
        InputRef.of(ResourceId.of(rs.getString(1)), rs.getString(2)),
        InputRef.of(ResourceId.of(rs.getString(3)), rs.getString(4)), rs.getBoolean(5),
        nonEmpty(rs.getString(6))), c -> c.emitter().resource());
  }

  private void readEvents(Collection<ResourceId> sources) {
    readIndex(events, sources, sql::eventsFrom, rs -> new Event(ResourceId.of(rs.getString(1)), rs.getString(2),
        ResourceId.of(rs.getString(3)), nonEmpty(rs.getString(4))), Event::source);
  }

  /**
   * Fills {@code cache} with the rows of an index (connections by emitter, events by source) for the
   * {@code ids} it does not hold yet, one query per {@value UnitOfWork#IN_LIST} ids.
   */
  private <T extends Comparable<T>> void readIndex(Map<ResourceId, SortedSet<T>> cache, Collection<ResourceId> ids,
      IntFunction<String> statement, RowMapper<T> mapper, Function<T, ResourceId> owner) {
    List<ResourceId> unknown = ids.stream().distinct().filter(id -> !cache.containsKey(id)).toList();
    for (List<ResourceId> chunk : chunks(unknown)) {
      Map<ResourceId, SortedSet<T>> found = new HashMap<>();
      chunk.forEach(id -> found.put(id, new TreeSet<>()));
      for (T row : uow.rows(statement.apply(chunk.size()), bindNames(chunk), mapper)) {
        found.get(owner.apply(row)).add(row);
      }
      found.forEach((id, rows) -> cache.put(id, Collections.unmodifiableSortedSet(rows)));
    }
  }

  // ---------------------------------------------------------------- writes

  void put(Resource resource) {
    // an apply has read the row before it commits, so this costs no round trip there
    Optional<Resource> known = get(resource.id());
    String id = resource.id().name();
    String body = uow.json.write(resource);
    String location = resource.location().map(ResourceId::name).orElse(null);
    if (known.isPresent()) {
      uow.buffer.add(sql.updateResource(), id, body, location, id);
    } else {
      uow.buffer.add(sql.insertResource(), id, id, body, location);
    }
    // the indexes are rewritten only when they change
    writeIncoming(resource.id(), known.map(Resource::incoming).orElse(Collections.emptySortedSet()),
        resource.incoming());
    if (!known.map(Resource::events).orElse(Collections.emptySortedSet()).equals(resource.events())) {
      writeEvents(resource.id(), resource.events(), known.isPresent());
    }
    resources.put(resource.id(), Optional.of(resource));
  }

  /**
   * Rewrites every resource row that holds a value sealed under another key than the codec's current
   * one or a sensitive value in clear; returns how many.
   */
  int reseal() {
    return uow.reseal(sql.resealPage(), "", (ps, after) -> {
      ps.setString(1, after);
      return 2;
    }, rs -> new UnitOfWork.KeyedBody<>(rs.getString(1), rs.getString(2)), uow.json::resealResource,
        (id, body) -> uow.buffer.add(sql.updateResourceBody(), id, body, id));
  }


  void delete(ResourceId id) {
    // read before the delete is queued: a read sends what is queued first
    SortedSet<Connection> old = get(id).map(Resource::incoming).orElse(Collections.emptySortedSet());
    String key = id.name();
    uow.buffer.add(sql.deleteResource(), key, key);
    writeIncoming(id, old, List.of());
    writeEvents(id, List.of(), true);
    resources.put(id, Optional.empty());
  }

  /** Writes the index rows that differ between a receiver's old and new incoming connections. */
  private void writeIncoming(ResourceId receiver, Collection<Connection> old, Collection<Connection> now) {
    if (old.equals(now)) {
      return;
    }
    String key = receiver.name();
    Set<Connection> kept = new HashSet<>(now);
    kept.retainAll(old);
    for (Connection conn : old) {
      if (!kept.contains(conn)) {
        uow.buffer.add(sql.deleteConnection(), key, conn.emitter().resource().name(), conn.emitter().input(),
            key, conn.receiver().input(), conn.key().orElse(""));
      }
    }
    for (Connection conn : now) {
      if (!kept.contains(conn)) {
        uow.buffer.add(sql.insertConnection(), key, key, conn.receiver().input(), conn.emitter().resource().name(),
            conn.emitter().input(), conn.collecting(), conn.key().orElse(""));
      }
    }
    outgoing.clear();
  }

  private void writeEvents(ResourceId target, Collection<Event> targeting, boolean delete) {
    String key = target.name();
    if (delete) {
      uow.buffer.add(sql.deleteEvents(), key, key);
    }
    for (Event e : targeting) {
      uow.buffer.add(sql.insertEvent(), key, e.target().name(), e.source().name(), e.trigger(),
          e.reaction().orElse(""));
    }
    events.clear();
  }
}
