package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.RollbackProperties;

/** The rollback properties on in-memory stores, global and per-resource side by side. */
class MemoryRollbackPropertiesTest extends RollbackProperties {
  @Override
  protected Store createStore(CommitLogVariant variant) {
    return MemoryStore.create(variant);
  }
}
