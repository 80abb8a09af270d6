package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.StoreContract;
import javax.sql.DataSource;

/** The whole contract kit on SQLite with the GLOBAL commit log. */
class SqliteGlobalStoreTest extends StoreContract {
  private static final DataSource DATABASE = TestDatabases.newSqlite();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
