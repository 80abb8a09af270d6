package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.ValueProperties;
import javax.sql.DataSource;

/** Random values through staging, apply and history on SQLite. */
class SqliteValuePropertiesTest extends ValueProperties {
  private static final DataSource DATABASE = TestDatabases.newSqlite();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
