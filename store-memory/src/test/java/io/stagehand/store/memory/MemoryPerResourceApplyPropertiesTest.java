package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.ApplyProperties;

/** The plan and apply properties on the in-memory store with the PER_RESOURCE commit log. */
class MemoryPerResourceApplyPropertiesTest extends ApplyProperties {
  @Override
  protected Store createStore() {
    return MemoryStore.create(CommitLogVariant.PER_RESOURCE);
  }
}
