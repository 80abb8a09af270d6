package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.ValueProperties;

/** Random values through staging, apply and history on the in-memory store with the PER_RESOURCE commit log. */
class MemoryPerResourceValuePropertiesTest extends ValueProperties {
  @Override
  protected Store createStore() {
    return MemoryStore.create(CommitLogVariant.PER_RESOURCE);
  }
}
