package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.RollbackProperties;
import javax.sql.DataSource;

/** The rollback properties on H2, global and per-resource side by side. */
class H2RollbackPropertiesTest extends RollbackProperties {
  private static final DataSource DATABASE = TestDatabases.newH2();

  @Override
  protected Store createStore(CommitLogVariant variant) {
    return TestDatabases.store(DATABASE, variant);
  }
}
