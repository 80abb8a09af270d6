package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.StoreContract;
import javax.sql.DataSource;

/** The whole contract kit on H2 with the GLOBAL commit log. */
class H2GlobalStoreTest extends StoreContract {
  private static final DataSource DATABASE = TestDatabases.newH2();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
