package io.stagehand.store.api;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;


/** The kit checks itself on the reference store, per-resource commit log. */
class ReferencePerResourceStoreTest extends StoreContract {
  @Override
  protected Store createStore() {
    return new ReferenceStore(CommitLogVariant.PER_RESOURCE);
  }
}
