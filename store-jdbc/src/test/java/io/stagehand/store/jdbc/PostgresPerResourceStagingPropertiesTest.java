package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.StagingProperties;
import javax.sql.DataSource;

/** The staging properties on Postgres with the PER_RESOURCE commit log. */
class PostgresPerResourceStagingPropertiesTest extends StagingProperties {
  private static final DataSource DATABASE = TestDatabases.newPostgres();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.PER_RESOURCE);
  }
}
