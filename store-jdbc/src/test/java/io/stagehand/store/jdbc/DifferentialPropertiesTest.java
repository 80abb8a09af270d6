package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.RollbackProperties;
import io.stagehand.store.memory.MemoryStore;
import java.util.List;
import javax.sql.DataSource;

/**
 * Memory, SQLite and PostgreSQL, each with both commit-log variants, play the same random operation
 * sequences (staging, applies with injected failures, reverts, rollbacks) in lockstep and must give
 * identical answers at every step; the in-memory global store is the reference.
 */
class DifferentialPropertiesTest extends RollbackProperties {
  private static final DataSource SQLITE = TestDatabases.newSqlite();
  private static final DataSource POSTGRES = TestDatabases.newPostgres();

  @Override
  protected Store createStore(CommitLogVariant variant) {
    return MemoryStore.create(variant);
  }

  @Override
  protected List<Store> createStores() {
    return List.of(
        MemoryStore.create(CommitLogVariant.GLOBAL),
        MemoryStore.create(CommitLogVariant.PER_RESOURCE),
        TestDatabases.store(SQLITE, CommitLogVariant.GLOBAL),
        TestDatabases.store(SQLITE, CommitLogVariant.PER_RESOURCE),
        TestDatabases.store(POSTGRES, CommitLogVariant.GLOBAL),
        TestDatabases.store(POSTGRES, CommitLogVariant.PER_RESOURCE));
  }
}
