package io.stagehand.store.api;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;


/** The kit checks itself on the reference store, global commit log. */
class ReferenceGlobalStoreTest extends StoreContract {
  @Override
  protected Store createStore() {
    return new ReferenceStore(CommitLogVariant.GLOBAL);
  }
}
