package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.ScenarioFuzzProperties;

/** Mutated scenario files played on the in-memory store. */
class MemoryScenarioFuzzPropertiesTest extends ScenarioFuzzProperties {
  @Override
  protected Store createStore() {
    return MemoryStore.create(CommitLogVariant.PER_RESOURCE);
  }
}
