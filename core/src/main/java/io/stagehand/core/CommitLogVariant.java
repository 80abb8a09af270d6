package io.stagehand.core;

/**
 * How a store keeps its commit log. Both give the same observable results through the public API;
 * they differ in layout and in which queries are cheapest.
 */
public enum CommitLogVariant {
  /** One totally ordered sequence for all resources; a position is a global sequence number. */
  GLOBAL,
  /** One chain per resource; a position is {@code resource@version}. */
  PER_RESOURCE
}
