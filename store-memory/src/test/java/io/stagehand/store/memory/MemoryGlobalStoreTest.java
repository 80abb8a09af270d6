package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.StoreContract;

/** The whole contract kit on the in-memory store with the GLOBAL commit log. */
class MemoryGlobalStoreTest extends StoreContract {
  @Override
  protected Store createStore() {
    return MemoryStore.create(CommitLogVariant.GLOBAL);
  }
}
