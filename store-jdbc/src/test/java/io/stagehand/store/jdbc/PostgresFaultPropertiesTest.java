package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.FaultProperties;
import javax.sql.DataSource;

/** Random applies under random faults on PostgreSQL. */
class PostgresFaultPropertiesTest extends FaultProperties {
  private static final DataSource DATABASE = TestDatabases.newPostgres();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
