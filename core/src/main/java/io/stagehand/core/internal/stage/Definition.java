package io.stagehand.core.internal.stage;

import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.Resource;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What the desired state reads of a resource while it replays edits: a {@link Resource}, or a draft
 * being edited in place (so that a hundred edits of one resource do not copy it a hundred times).
 */
public interface Definition {
  ResourceId id();

  String kind();

  SortedMap<String, Value> ownInputs();

  SortedSet<Connection> incoming();

  Optional<ResourceId> location();

  SortedSet<Event> events();

  SortedSet<String> labels();

  /** True if staging refuses to remove it. */
  boolean isProtected();

  /** True if some incoming connection feeds {@code input}. */
  default boolean isConnected(String input) {
    for (Connection c : incoming()) {
      if (c.receiver().input().equals(input)) {
        return true;
      }
    }
    return false;
  }

  /** An applied resource as the replay reads it. */
  static Definition of(Resource r) {
    return new Applied(r);
  }

  /** The applied resource behind a definition that no edit has touched. */
  record Applied(Resource resource) implements Definition {
    @Override
    public ResourceId id() {
      return resource.id();
    }

    @Override
    public String kind() {
      return resource.kind();
    }

    @Override
    public SortedMap<String, Value> ownInputs() {
      return resource.ownInputs();
    }

    @Override
    public SortedSet<Connection> incoming() {
      return resource.incoming();
    }

    @Override
    public Optional<ResourceId> location() {
      return resource.location();
    }

    @Override
    public SortedSet<Event> events() {
      return resource.events();
    }

    @Override
    public SortedSet<String> labels() {
      return resource.labels();
    }

    @Override
    public boolean isProtected() {
      return resource.isProtected();
    }

    @Override
    public boolean isConnected(String input) {
      return resource.isConnected(input);
    }
  }
}
