package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.OutputProperties;
import javax.sql.DataSource;

/** The output properties on SQLite with the GLOBAL commit log. */
class SqliteGlobalOutputPropertiesTest extends OutputProperties {
  private static final DataSource DATABASE = TestDatabases.newSqlite();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
