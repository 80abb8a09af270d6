package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.FaultProperties;
import javax.sql.DataSource;

/** Random applies under random faults on SQLite. */
class SqliteFaultPropertiesTest extends FaultProperties {
  private static final DataSource DATABASE = TestDatabases.newSqlite();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
