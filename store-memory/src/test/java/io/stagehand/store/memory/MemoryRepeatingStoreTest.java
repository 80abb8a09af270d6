package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.RepeatingStore;
import io.stagehand.store.api.StoreContract;

/**
 * The whole contract kit on a store that runs every unit of work twice (the first run rolled back),
 * as {@link Store#write} allows: the engine must give the same results.
 */
class MemoryRepeatingStoreTest extends StoreContract {
  @Override
  protected Store createStore() {
    return RepeatingStore.of(MemoryStore.create(CommitLogVariant.GLOBAL));
  }
}
