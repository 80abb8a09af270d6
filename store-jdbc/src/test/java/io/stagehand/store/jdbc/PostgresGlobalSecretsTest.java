package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.SecretsContract;
import javax.sql.DataSource;

/** No secret in any log, message or rendering of a whole cycle on PostgreSQL, global commit log. */
class PostgresGlobalSecretsTest extends SecretsContract {
  private static final DataSource DATABASE = TestDatabases.newPostgres();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }
}
