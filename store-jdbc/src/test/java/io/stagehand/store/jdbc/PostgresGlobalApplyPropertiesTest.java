package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.ApplyProperties;
import javax.sql.DataSource;

/** The apply properties on Postgres with the GLOBAL commit log. */
class PostgresGlobalApplyPropertiesTest extends ApplyProperties {
  private static final DataSource DATABASE = TestDatabases.newPostgres();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
