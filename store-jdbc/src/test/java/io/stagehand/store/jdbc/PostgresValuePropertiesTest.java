package io.stagehand.store.jdbc;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import io.stagehand.store.api.ValueProperties;
import javax.sql.DataSource;

/** Random values through staging, apply and history on PostgreSQL. */
class PostgresValuePropertiesTest extends ValueProperties {
  private static final DataSource DATABASE = TestDatabases.newPostgres();

  @Override
  protected Store createStore() {
    return TestDatabases.store(DATABASE, CommitLogVariant.GLOBAL);
  }

  /** Jackson's default name limit, until the defect StoredJsonLimitsTest.mapKeysAsLongAsStringsReadBack is fixed. */
  @Override
  protected int longestMapKey() {
    return 50_000;
  }

  /**
   * Numbers whose plain notation (jsonb prints no exponents) stays within Jackson's default 1,000
   * characters with 100 digits, until the defect StoredJsonLimitsTest.numbersAtTheMagnitudeLimitsReadBackFromPostgres
   * is fixed.
   */
  @Override
  protected int largestNumberExponent() {
    return 898;
  }
}
