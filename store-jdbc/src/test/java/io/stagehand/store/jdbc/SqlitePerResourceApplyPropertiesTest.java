package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.ApplyProperties;
import javax.sql.DataSource;

/** The apply properties on SQLite with the PER_RESOURCE commit log. */
class SqlitePerResourceApplyPropertiesTest extends ApplyProperties {
  private static final DataSource DATABASE = TestDatabases.newSqlite();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.PER_RESOURCE);
  }
}
