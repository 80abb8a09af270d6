package io.stagehand.core.internal.stage;

import io.stagehand.core.internal.ApiAccess;
import io.stagehand.core.internal.Copies;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A resource being edited in an {@link Overlay}: it starts from its current definition and copies a
 * collection the first time an edit changes it, so that a hundred edits of one resource do not copy
 * it a hundred times. Changes of its incoming connections and events keep the overlay's outgoing and
 * event deltas in step.
 */
final class Draft implements Definition {
  private static final ApiAccess.Resources RESOURCES = ApiAccess.resources();

  private final Overlay overlay;
  private final ResourceId id;
  private final String kind;
  private SortedMap<String, Value> own;
  private SortedSet<String> sensitive;
  private SortedSet<Connection> incoming;
  private ResourceId location;
  private SortedSet<Event> events;
  private SortedSet<String> labels;
  private SortedMap<String, Value> resolved;
  private boolean protect;
  /** The resource the draft started from, whose outputs it carries: only an adopt changes outputs. */
  private Resource origin;
  private Resource built;

  Draft(Overlay overlay, Resource r) {
    this.overlay = overlay;
    id = r.id();
    kind = r.kind();
    own = r.ownInputs();
    sensitive = r.sensitiveInputs();
    incoming = r.incoming();
    location = r.location().orElse(null);
    events = r.events();
    labels = r.labels();
    resolved = r.resolvedInputs();
    protect = r.isProtected();
    origin = r;
    built = r;
  }

  /** The draft as a resource; built again only after a change. */
  Resource resource() {
    if (built == null) {
      built = RESOURCES.trusted(id, kind, own, sensitive, incoming, Optional.ofNullable(location), events, labels,
          resolved, protect, origin);
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

  // the readers below are the engine's own, which never change what they read

  @Override
  public SortedMap<String, Value> ownInputs() {
    return own;
  }

  SortedSet<String> sensitiveInputs() {
    return sensitive;
  }

  /** Where it runs, or null: {@link #location()} without the {@code Optional}, for walks over every draft. */
  ResourceId at() {
    return location;
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

  @Override
  public boolean isProtected() {
    return protect;
  }

  /** Outputs found by a refresh, over those it carries. */
  void adoptOutputs(SortedMap<String, Value> found, SortedSet<String> sensitive) {
    java.util.TreeMap<String, Value> all = new java.util.TreeMap<>(origin.outputs());
    all.putAll(found);
    java.util.TreeSet<String> secret = new java.util.TreeSet<>(origin.sensitiveOutputs());
    secret.removeAll(found.keySet());
    secret.addAll(sensitive);
    origin = RESOURCES.withOutputs(origin, all, secret);
    built = null;
  }

  void protect(boolean on) {
    built = null;
    protect = on;
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
      overlay.incomingAdded(c);
    }
  }

  void removeIncoming(Connection c) {
    built = null;
    incoming = Copies.writable(incoming);
    if (incoming.remove(c)) {
      overlay.incomingRemoved(c);
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
      overlay.eventAdded(e);
    }
  }

  void removeEvent(Event e) {
    built = null;
    events = Copies.writable(events);
    if (events.remove(e)) {
      overlay.eventRemoved(e);
    }
  }
}
