package io.stagehand.core.history;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.model.ResourceId;

/**
 * Where a commit sits in its log: a global sequence number, or {@code resource@version} in a
 * per-resource chain. Printed as {@code 42} or {@code keystone1@3}.
 */
public sealed interface CommitPosition permits CommitPosition.Global, CommitPosition.PerResource {

  static CommitPosition global(long sequence) {
    return new Global(sequence);
  }

  static CommitPosition of(ResourceId resource, long version) {
    return new PerResource(resource, version);
  }

  /** Parses {@code 42} or {@code keystone1@3}. */
  static CommitPosition parse(String text) {
    if (text == null) {
      throw new InvalidInputException("a commit position is missing");
    }
    int at = text.lastIndexOf('@');
    try {
      if (at < 0) {
        return global(Long.parseLong(text));
      }
      return of(ResourceId.of(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          "invalid commit position: write <n> or <resource>@<version>");
    }
  }

  /** A position in the global log, counting from 1. */
  record Global(long sequence) implements CommitPosition {
    public Global {
      if (sequence < 1) {
        throw new InvalidInputException("a global commit position counts from 1, got " + sequence);
      }
    }

    @Override
    public String toString() {
      return Long.toString(sequence);
    }
  }

  /** A position in one resource's chain, counting from 1. */
  record PerResource(ResourceId resource, long version) implements CommitPosition {
    public PerResource {
      if (resource == null || version < 1) {
        throw new InvalidInputException("a per-resource commit position needs a resource and a version from 1");
      }
    }

    @Override
    public String toString() {
      return resource + "@" + version;
    }
  }
}
