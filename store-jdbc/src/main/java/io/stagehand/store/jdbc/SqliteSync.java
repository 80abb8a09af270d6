package io.stagehand.store.jdbc;

/**
 * How hard a SQLite store waits for the disk at each commit (SQLite's {@code PRAGMA synchronous}, in
 * WAL mode).
 */
public enum SqliteSync {
  /**
   * The default: every commit is flushed to the disk before it returns, so a commit survives a
   * killed process, an operating-system crash and a power loss. Costs one {@code fsync} per commit
   * (on the order of a thousand commits a second on a common SSD).
   */
  FULL,
  /**
   * Commits are flushed at checkpoints only: a commit survives a killed process, but an
   * operating-system crash or a power loss can take back the last commits (never damaging the file).
   * An order of magnitude more commits a second than {@link #FULL}.
   */
  NORMAL
}
