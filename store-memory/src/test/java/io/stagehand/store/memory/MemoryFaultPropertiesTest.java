package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.FaultProperties;

/** Random applies under random faults on the in-memory store. */
class MemoryFaultPropertiesTest extends FaultProperties {
  @Override
  protected Store createStore() {
    return MemoryStore.create(CommitLogVariant.PER_RESOURCE);
  }
}
