package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.StagingProperties;

/** The staging properties on the in-memory store with the PER_RESOURCE commit log. */
class MemoryPerResourceStagingPropertiesTest extends StagingProperties {
  @Override
  protected Store createStore() {
    return MemoryStore.create(CommitLogVariant.PER_RESOURCE);
  }
}
