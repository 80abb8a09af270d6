package io.stagehand.core.history;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.internal.Names;
import io.stagehand.core.model.ResourceId;

/**
 * The id shared by every commit of one apply, so that a whole apply can be listed or reverted; the
 * same naming rule as {@link ResourceId}.
 */
public final class Tag implements Comparable<Tag> {
  private final String name;

  private Tag(String name) {
    this.name = name;
  }

  /** Returns the tag named {@code name}, or throws {@link InvalidInputException} naming the rule. */
  public static Tag of(String name) {
    return new Tag(Names.check("tag", name, ResourceId.MAX_LENGTH));
  }

  public String name() {
    return name;
  }

  @Override
  public int compareTo(Tag other) {
    return name.compareTo(other.name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tag && ((Tag) o).name.equals(name);
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
