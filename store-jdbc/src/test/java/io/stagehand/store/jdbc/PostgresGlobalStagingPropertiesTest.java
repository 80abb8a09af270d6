package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.StagingProperties;
import javax.sql.DataSource;

/** The staging properties on Postgres with the GLOBAL commit log. */
class PostgresGlobalStagingPropertiesTest extends StagingProperties {
  private static final DataSource DATABASE = TestDatabases.newPostgres();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
