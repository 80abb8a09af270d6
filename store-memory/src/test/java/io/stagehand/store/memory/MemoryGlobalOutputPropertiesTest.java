package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.OutputProperties;

/** The output properties on the in-memory store with the GLOBAL commit log. */
class MemoryGlobalOutputPropertiesTest extends OutputProperties {
  @Override
  protected Store createStore() {
    return MemoryStore.create(CommitLogVariant.GLOBAL);
  }
}
