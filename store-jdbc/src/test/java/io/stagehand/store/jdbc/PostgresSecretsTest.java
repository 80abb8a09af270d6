package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.SecretsContract;
import javax.sql.DataSource;

/** No secret in any log, message or rendering of a whole cycle on PostgreSQL, per-resource commit log. */
class PostgresSecretsTest extends SecretsContract {
  private static final DataSource DATABASE = TestDatabases.newPostgres();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.PER_RESOURCE);
  }
}
