package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.OutputProperties;
import javax.sql.DataSource;

/** The output properties on Postgres with the PER_RESOURCE commit log. */
class PostgresPerResourceOutputPropertiesTest extends OutputProperties {
  private static final DataSource DATABASE = TestDatabases.newPostgres();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.PER_RESOURCE);
  }
}
