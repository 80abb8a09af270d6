package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.SecretsContract;
import javax.sql.DataSource;

/** No secret in any log, message or rendering of a whole cycle on SQLite, per-resource commit log. */
class SqlitePerResourceSecretsTest extends SecretsContract {
  private static final DataSource DATABASE = TestDatabases.newSqlite();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.PER_RESOURCE);
  }
}
