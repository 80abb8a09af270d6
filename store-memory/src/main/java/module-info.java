/** The in-memory store: the same guarantees as the JDBC stores, for tests and embedding programs. */
module io.stagehand.store.memory {
  requires transitive io.stagehand.core;
  requires com.google.common;

  exports io.stagehand.store.memory;
}
