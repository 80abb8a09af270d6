package io.stagehand.store.memory;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.SecretsContract;

/** No secret in any log, message or rendering of a whole cycle on the in-memory store. */
class MemorySecretsTest extends SecretsContract {
  @Override
  protected Store createStore() {
    return MemoryStore.create(CommitLogVariant.GLOBAL);
  }
}
