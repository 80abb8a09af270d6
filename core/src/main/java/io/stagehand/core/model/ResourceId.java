package io.stagehand.core.model;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;

/**
 * The validated name of a resource, such as {@code keystone1}: ASCII letters, digits, {@code _} and
 * {@code -}, 1 to 200 characters. Dots are never allowed, so {@code a.b} always means input {@code b}
 * of resource {@code a}.
 */
public final class ResourceId implements Comparable<ResourceId> {
  /** The longest id accepted. */
  public static final int MAX_LENGTH = 200;

  private final String name;

  private ResourceId(String name) {
    this.name = name;
  }

  /** Returns the id named {@code name}, or throws {@link InvalidInputException} naming the rule. */
  public static ResourceId of(String name) {
    return new ResourceId(Names.check("resource id", name, MAX_LENGTH));
  }

  public String name() {
    return name;
  }

  @Override
  public int compareTo(ResourceId other) {
    return name.compareTo(other.name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceId && ((ResourceId) o).name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
