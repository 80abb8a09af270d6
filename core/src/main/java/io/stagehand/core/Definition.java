package io.stagehand.core;

import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What the desired state reads of a resource while it replays edits: a {@link Resource}, or a draft
 * being edited in place (so that a hundred edits of one resource do not copy it a hundred times).
 */
interface Definition {
  ResourceId id();

  String kind();

  SortedMap<String, Value> ownInputs();

  SortedSet<Connection> incoming();

  Optional<ResourceId> location();

  SortedSet<Event> events();

  SortedSet<String> labels();

  /** True if some incoming connection feeds {@code input}. */
  default boolean isConnected(String input) {
    for (Connection c : incoming()) {
      if (c.receiver().input().equals(input)) {
        return true;
      }
    }
    return false;
  }
}
