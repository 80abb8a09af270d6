package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.StagingProperties;
import javax.sql.DataSource;

/** The staging properties on H2 with the PER_RESOURCE commit log. */
class H2PerResourceStagingPropertiesTest extends StagingProperties {
  private static final DataSource DATABASE = TestDatabases.newH2();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.PER_RESOURCE);
  }
}
